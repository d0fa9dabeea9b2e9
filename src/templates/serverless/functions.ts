/**
 * One serverless.yml function → an AWS::Serverless::Function, with the provider's settings as the Framework
 * applies them (https://www.serverless.com/framework/docs/providers/aws/guide/functions): function values
 * over provider values, environments merged, the Framework's defaults (1024 MB, 6 s) where SAM's differ.
 */
import { samEventsOf, type EventScope, type Resources } from './events.js';
import { logicalIds } from './names.js';
import { defined, isIntrinsic, listOf, numberOf, recordOf, stringOf } from './shapes.js';

/** The Framework's defaults, which differ from Lambda's 128 MB and 3 s. */
const FRAMEWORK_DEFAULTS = { memorySize: 1024, timeout: 6, runtime: 'nodejs20.x' };

export interface FunctionScope extends EventScope {
  service: string;
  stage: string;
  provider: Record<string, unknown>;
  /** Top-level `package:` settings. */
  servicePackage: Record<string, unknown>;
}

/** Adds the function (and its log group) to `resources`. */
export function addFunction(key: string, fn: Record<string, unknown>, scope: FunctionScope, resources: Resources): void {
  const where = `functions.${key}`;
  const { provider } = scope;
  if (fn.image !== undefined) {
    scope.unsupported.push(`${where}.image: container image functions are not supported by Flint; the function is left out`);
    return;
  }
  const name = stringOf(fn.name) ?? `${scope.service}-${scope.stage}-${key}`;
  const code = codeOf(fn, scope);
  const properties = defined({
    FunctionName: name,
    Handler: code.handler,
    Runtime: fn.runtime ?? provider.runtime ?? FRAMEWORK_DEFAULTS.runtime,
    CodeUri: code.codeUri,
    Description: fn.description,
    MemorySize: numberOf(fn.memorySize) ?? numberOf(provider.memorySize) ?? FRAMEWORK_DEFAULTS.memorySize,
    Timeout: numberOf(fn.timeout) ?? numberOf(provider.timeout) ?? FRAMEWORK_DEFAULTS.timeout,
    EphemeralStorage: ephemeralStorage(fn.ephemeralStorageSize ?? provider.ephemeralStorageSize),
    Architectures: architecture(fn.architecture ?? provider.architecture),
    Environment: environment(provider.environment, fn.environment),
    Layers: fn.layers ?? provider.layers,
    ReservedConcurrentExecutions: numberOf(fn.reservedConcurrency),
    ProvisionedConcurrencyConfig: fn.provisionedConcurrency === undefined ? undefined : { ProvisionedConcurrentExecutions: numberOf(fn.provisionedConcurrency) },
    AutoPublishAlias: fn.provisionedConcurrency === undefined ? undefined : 'provisioned',
    ...permissions(fn, provider),
    Tags: tags(provider.tags, fn.tags),
    EventInvokeConfig: eventInvokeConfig(fn, where, scope),
    DeadLetterQueue: deadLetterQueue(fn.onError),
    Events: samEventsOf(fn.events, `${where}.events`, scope),
  });
  for (const key of ['vpc', 'tracing', 'kmsKeyArn', 'fileSystemConfig', 'url', 'snapStart']) {
    if (fn[key] !== undefined) scope.unsupported.push(`${where}.${key}: not supported by Flint; the function is deployed without it`);
  }
  resources[logicalIds.function(key)] = { Type: 'AWS::Serverless::Function', Properties: properties };
  const retention = numberOf(fn.logRetentionInDays ?? provider.logRetentionInDays);
  if (retention !== undefined) {
    resources[logicalIds.logGroup(key)] = { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: `/aws/lambda/${name}`, RetentionInDays: retention } };
  }
}

/**
 * The code folder: the service folder, as the Framework packages it, or `package.artifact`. Patterns that
 * exclude everything (`!**`) and then include one folder (`src/notes/**`) make that folder the code, the
 * handler relative to it, as SAM's CodeUri wants. Other patterns only trim the zip: shipping the whole folder
 * changes no behaviour, so they are not reported.
 */
function codeOf(fn: Record<string, unknown>, scope: FunctionScope): { codeUri: unknown; handler: unknown } {
  const own = recordOf(fn.package);
  const artifact = own.artifact ?? scope.servicePackage.artifact;
  if (artifact !== undefined) return { codeUri: artifact, handler: fn.handler };
  const patterns = listOf(own.patterns ?? own.include).map(String);
  const folder = onlyFolder(patterns);
  const handler = stringOf(fn.handler);
  if (folder !== undefined && handler?.startsWith(`${folder}/`)) return { codeUri: folder, handler: handler.slice(folder.length + 1) };
  return { codeUri: '.', handler: fn.handler };
}

function onlyFolder(patterns: string[]): string | undefined {
  const excludesAll = patterns.some((p) => p === '!**' || p === '!./**' || p === '!**/*');
  const includes = patterns.filter((p) => !p.startsWith('!'));
  const folders = new Set(includes.map((p) => /^(?:\.\/)?([^*!]+?)\/\*\*(?:\/\*)?$/.exec(p)?.[1]));
  if (!excludesAll || folders.size !== 1 || folders.has(undefined)) return undefined;
  return [...folders][0];
}

function ephemeralStorage(size: unknown): unknown {
  const mb = numberOf(size);
  return mb === undefined ? undefined : { Size: mb };
}

function architecture(value: unknown): unknown {
  return value === undefined ? undefined : [value];
}

function environment(providerEnv: unknown, fnEnv: unknown): unknown {
  const merged = { ...recordOf(providerEnv), ...recordOf(fnEnv) };
  if (Object.keys(merged).length === 0) return undefined;
  const variables = Object.fromEntries(Object.entries(merged).map(([k, v]) => [k, typeof v === 'number' || typeof v === 'boolean' ? String(v) : v]));
  return { Variables: variables };
}

function tags(providerTags: unknown, fnTags: unknown): unknown {
  const merged = { ...recordOf(providerTags), ...recordOf(fnTags) };
  return Object.keys(merged).length === 0 ? undefined : Object.fromEntries(Object.entries(merged).map(([k, v]) => [k, String(v)]));
}

/**
 * The Framework's one role for every function (IamRoleLambdaExecution) from `provider.iam.role.statements`
 * (v3) or `provider.iamRoleStatements` (v2) and managed policies, given to each function as SAM Policies; a
 * role named or ARN'd (`provider.iam.role: arn`, function `role:`) is used as it is.
 */
function permissions(fn: Record<string, unknown>, provider: Record<string, unknown>): Record<string, unknown> {
  const iamRole = recordOf(provider.iam).role;
  const role = fn.role ?? (typeof iamRole === 'string' || isIntrinsic(iamRole) ? iamRole : undefined) ?? provider.role;
  if (role !== undefined) return { Role: typeof role === 'string' && !role.startsWith('arn:') ? { 'Fn::GetAtt': [role, 'Arn'] } : role };
  const roleSettings = recordOf(iamRole);
  const statements = [
    ...listOf(roleSettings.statements ?? provider.iamRoleStatements),
    // serverless-iam-roles-per-function's per-function statements, a common companion of the Framework.
    ...listOf(fn.iamRoleStatements),
  ];
  const managed = listOf(roleSettings.managedPolicies ?? provider.iamManagedPolicies);
  const policies = [...managed, ...(statements.length > 0 ? [{ Version: '2012-10-17', Statement: statements }] : [])];
  return policies.length > 0 ? { Policies: policies } : {};
}

/** destinations.onSuccess/onFailure, maximumRetryAttempts, maximumEventAge → SAM EventInvokeConfig. */
function eventInvokeConfig(fn: Record<string, unknown>, where: string, scope: FunctionScope): unknown {
  const destinations = recordOf(fn.destinations);
  const onSuccess = destination(destinations.onSuccess, `${where}.destinations.onSuccess`, scope);
  const onFailure = destination(destinations.onFailure, `${where}.destinations.onFailure`, scope);
  const config = defined({
    MaximumRetryAttempts: numberOf(fn.maximumRetryAttempts),
    MaximumEventAgeInSeconds: numberOf(fn.maximumEventAge),
    DestinationConfig: onSuccess || onFailure ? defined({ OnSuccess: onSuccess, OnFailure: onFailure }) : undefined,
  });
  return Object.keys(config).length > 0 ? config : undefined;
}

const DESTINATION_TYPES: Record<string, string> = { sqs: 'SQS', sns: 'SNS', lambda: 'Lambda', function: 'Lambda', events: 'EventBridge', eventBus: 'EventBridge' };

/** A function of the service by name, an ARN, or `{ type, arn }` with the ARN as a CloudFormation function. */
function destination(value: unknown, where: string, scope: FunctionScope): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && scope.functionKeys.has(value)) {
    return { Type: 'Lambda', Destination: { 'Fn::GetAtt': [logicalIds.function(value), 'Arn'] } };
  }
  if (typeof value === 'string') {
    const service = value.split(':')[2] ?? '';
    const type = DESTINATION_TYPES[service];
    if (type !== undefined) return { Type: type, Destination: value };
    scope.unsupported.push(`${where}: '${value}' is neither a function of this service nor an SQS, SNS, Lambda or EventBridge ARN`);
    return undefined;
  }
  const settings = recordOf(value);
  const type = DESTINATION_TYPES[stringOf(settings.type) ?? ''];
  if (type === undefined) {
    scope.unsupported.push(`${where}: give type (sqs, sns, function or eventBus) with the arn`);
    return undefined;
  }
  return { Type: type, Destination: settings.arn };
}

function deadLetterQueue(onError: unknown): unknown {
  if (typeof onError !== 'string') return onError === undefined ? undefined : { Type: 'SQS', TargetArn: onError };
  return { Type: onError.includes(':sns:') ? 'SNS' : 'SQS', TargetArn: onError };
}
