import type { FunctionRegistry, FunctionUrlCors } from '../functions/index.js';
import type { CorsSpec, FunctionSpec } from '../manifest/index.js';
import type { DeployedFunctionReport } from '../services/admin/index.js';
import { functionUrlOf, localUrls } from '../services/lambda/index.js';

/**
 * A function's `url:` at deploy: the function URL configuration of the unqualified function, created or updated to
 * match, and removed when the manifest no longer declares one (the manifest states the whole truth, as for provisioned
 * concurrency). AuthType NONE also needs the resource policy Lambda checks (lambda:InvokeFunctionUrl for "*" with
 * lambda:FunctionUrlAuthType NONE), which deploy adds under the statement id the Lambda console uses, as SAM's
 * FunctionUrlConfig adds its own permission.
 */

const PUBLIC_STATEMENT = 'FunctionURLAllowPublicAccess';

export async function applyFunctionUrl(registry: FunctionRegistry, fn: FunctionSpec, nodeUrl: string): Promise<DeployedFunctionReport['url']> {
  const wanted = fn.url;
  const current = await registry.urls.get(fn.name, undefined);
  await setPublicStatement(registry, fn.name, wanted?.authType === 'NONE');
  if (!wanted) {
    if (current) await registry.urls.delete(fn.name, undefined);
    return undefined;
  }
  const settings = { authType: wanted.authType, invokeMode: wanted.invokeMode, cors: wanted.cors && lambdaCors(wanted.cors) };
  const record = current ? await registry.urls.update(fn.name, undefined, settings) : await registry.urls.create(fn.name, undefined, settings);
  if (!record) return undefined;
  const region = registry.scope.region;
  const local = localUrls(record.urlId, region, nodeUrl);
  return { functionUrl: functionUrlOf(record.urlId, region), hostUrl: local.host, pathUrl: local.path, authType: wanted.authType, invokeMode: wanted.invokeMode };
}

async function setPublicStatement(registry: FunctionRegistry, name: string, wanted: boolean): Promise<void> {
  const statements = await registry.getPolicy(name, undefined).then(
    (policy) => policy.statements,
    () => [],
  );
  const present = statements.some((s) => s.sid === PUBLIC_STATEMENT);
  if (wanted && !present) {
    await registry.addPermission(name, undefined, { sid: PUBLIC_STATEMENT, action: 'lambda:InvokeFunctionUrl', principal: '*', functionUrlAuthType: 'NONE' });
  } else if (!wanted && present) {
    await registry.removePermission(name, undefined, PUBLIC_STATEMENT);
  }
}

function lambdaCors(cors: CorsSpec): FunctionUrlCors {
  return {
    AllowCredentials: cors.allowCredentials,
    ...(cors.allowHeaders.length ? { AllowHeaders: cors.allowHeaders } : {}),
    ...(cors.allowMethods.length ? { AllowMethods: cors.allowMethods } : {}),
    ...(cors.allowOrigins.length ? { AllowOrigins: cors.allowOrigins } : {}),
    ...(cors.exposeHeaders.length ? { ExposeHeaders: cors.exposeHeaders } : {}),
    ...(cors.maxAge !== undefined ? { MaxAge: cors.maxAge } : {}),
  };
}
