/**
 * What the SAM transform checks on its own resources before CloudFormation sees them: each event's `Type` and its
 * `Properties` against the spec's event property type, the references SAM requires to be in the same template
 * (an Api event's RestApiId, an HttpApi event's ApiId, an S3 event's Bucket), a route's authorizer defined on its
 * API, a zip function's handler, runtime and code, and the local folders `sam build`/`sam deploy` package.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EVENT_PROPERTY_TYPES, EVENT_TYPES_NOT_IN_SPEC } from './sam.js';
import { checkDefinition, checkProperties, isIntrinsic, isPlainObject, type Finding, type TypeScope } from './values.js';
import type { SpecResource } from './database.js';

type Resources = Record<string, { Type?: unknown; Properties?: Record<string, unknown>; Metadata?: unknown }>;

export interface SamContext {
  scope: TypeScope;
  spec: SpecResource;
  resources: Resources;
  /** The template's folder, which relative code paths start from; without it local paths are not checked. */
  dir?: string;
}

export function checkEvents(events: unknown, path: string, context: SamContext): Finding[] {
  if (events === undefined) return [];
  if (!isPlainObject(events)) return [{ path, message: 'Events is a map of event name to event source' }];
  const types = EVENT_PROPERTY_TYPES[context.scope.resourceType] ?? {};
  return Object.entries(events).flatMap(([name, event]) => {
    const at = `${path}.${name}`;
    if (!/^[A-Za-z0-9]+$/.test(name)) return [{ path: at, message: `event name '${name}' must be alphanumeric (SAM makes logical ids from it)` }];
    const shape = checkProperties(event, { Type: { type: { type: 'string' }, required: true }, Properties: { type: { type: 'json' } } }, 'EventSource', at, context.scope);
    if (shape.length > 0 || !isPlainObject(event)) return shape;
    const type = String(event.Type);
    const definitionName = types[type];
    if (definitionName === undefined) {
      const message = EVENT_TYPES_NOT_IN_SPEC.includes(type)
        ? `event type '${type}' is SAM's, but the spec does not describe its properties, so it cannot be checked`
        : `unknown event type '${type}' (${context.scope.resourceType} takes ${Object.keys(types).join(', ')})`;
      return [{ path: `${at}.Type`, message }];
    }
    const definition = context.scope.db.typeOf(context.spec, definitionName)!;
    const properties = event.Properties ?? {};
    return [...checkDefinition(properties, definition, `${at}.Properties`, context.scope), ...eventReferences(type, properties, `${at}.Properties`, context)];
  });
}

/** SAM wires these itself, so they must name a resource of the template (its errors: "… must be a valid reference to …"). */
function eventReferences(type: string, properties: unknown, path: string, context: SamContext): Finding[] {
  if (!isPlainObject(properties)) return [];
  const sameTemplate = (key: string, resourceType: string, optional: boolean): Finding[] => {
    const value = properties[key];
    if (value === undefined && optional) return [];
    const id = isPlainObject(value) && typeof value.Ref === 'string' ? value.Ref : undefined;
    if (id !== undefined && context.resources[id]?.Type === resourceType) return [];
    return [{ path: `${path}.${key}`, message: `${type} event's ${key} must be a Ref to an ${resourceType} of this template` }];
  };
  if (type === 'Api') return [...sameTemplate('RestApiId', 'AWS::Serverless::Api', true), ...routeAuthorizer(properties, 'RestApiId', path, context)];
  if (type === 'HttpApi') return [...sameTemplate('ApiId', 'AWS::Serverless::HttpApi', true), ...routeAuthorizer(properties, 'ApiId', path, context)];
  if (type === 'S3') return sameTemplate('Bucket', 'AWS::S3::Bucket', false);
  return [];
}

/**
 * A route's Authorizer is NONE, AWS_IAM, or an authorizer its API defines; for an HTTP API, AWS_IAM needs
 * EnableIamAuthorizer (sam-property-function-httpapifunctionauth.html, sam-property-function-apifunctionauth.html).
 */
function routeAuthorizer(properties: Record<string, unknown>, apiKey: string, path: string, context: SamContext): Finding[] {
  const auth = properties.Auth;
  if (!isPlainObject(auth) || typeof auth.Authorizer !== 'string' || auth.Authorizer === 'NONE') return [];
  const apiRef = properties[apiKey];
  const api = isPlainObject(apiRef) && typeof apiRef.Ref === 'string' ? context.resources[apiRef.Ref] : undefined;
  const apiAuth = isPlainObject(api?.Properties?.Auth) ? api.Properties.Auth : {};
  const defined = isPlainObject(apiAuth.Authorizers) ? Object.keys(apiAuth.Authorizers) : [];
  if (auth.Authorizer === 'AWS_IAM') {
    const httpApi = apiKey === 'ApiId';
    return !httpApi || apiAuth.EnableIamAuthorizer === true ? [] : [{ path: `${path}.Auth.Authorizer`, message: 'AWS_IAM on an HTTP API route needs the API’s Auth.EnableIamAuthorizer: true' }];
  }
  return defined.includes(auth.Authorizer) ? [] : [{ path: `${path}.Auth.Authorizer`, message: `authorizer '${auth.Authorizer}' is not defined in its API's Auth.Authorizers (${defined.join(', ') || 'none'})` }];
}

/**
 * A zip function needs a handler, a runtime and code (here or in Globals.Function); an image function an ImageUri
 * or Metadata for `sam build` (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-function.html).
 */
export function checkFunctionCode(properties: Record<string, unknown>, globals: Record<string, unknown>, path: string): Finding[] {
  const has = (key: string): boolean => properties[key] !== undefined || globals[key] !== undefined;
  if (properties.PackageType === 'Image') return [];
  const missing = ['Handler', 'Runtime'].filter((key) => !has(key));
  if (!has('CodeUri') && !has('InlineCode')) missing.push('CodeUri (or InlineCode)');
  return missing.map((key) => ({ path, message: `a zip function needs ${key}` }));
}

/** Local folders and files SAM packages: CodeUri, ContentUri, DefinitionUri; an esbuild build's entry points. */
export function checkLocalPaths(id: string, resource: Resources[string], dir: string | undefined): Finding[] {
  if (dir === undefined) return [];
  const findings: Finding[] = [];
  const properties = resource.Properties ?? {};
  for (const key of ['CodeUri', 'ContentUri', 'DefinitionUri']) {
    const uri = properties[key];
    if (typeof uri !== 'string' || uri.startsWith('s3://') || isIntrinsic(uri)) continue;
    if (!existsSync(resolve(dir, uri))) findings.push({ path: `Resources.${id}.Properties.${key}`, message: `${uri} does not exist beside the template (sam deploy packages it from ${dir})` });
  }
  const metadata = isPlainObject(resource.Metadata) ? resource.Metadata : {};
  const build = isPlainObject(metadata.BuildProperties) ? metadata.BuildProperties : {};
  if (metadata.BuildMethod === 'esbuild' && typeof properties.CodeUri === 'string') {
    for (const entry of Array.isArray(build.EntryPoints) ? build.EntryPoints : []) {
      if (!existsSync(join(resolve(dir, properties.CodeUri), String(entry)))) {
        findings.push({ path: `Resources.${id}.Metadata.BuildProperties.EntryPoints`, message: `entry point ${String(entry)} is not in ${properties.CodeUri}` });
      }
    }
  }
  return findings;
}

/**
 * An HTTP API's Lambda authorizer is invoked only if SAM adds the permission, which it does when asked
 * (EnableFunctionDefaultPermissions, default false): otherwise every request it guards fails with 500
 * (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-httpapi-lambdaauthorizer.html).
 */
export function checkHttpApiAuthorizers(properties: Record<string, unknown>, path: string): Finding[] {
  const auth = isPlainObject(properties.Auth) ? properties.Auth : {};
  const authorizers = isPlainObject(auth.Authorizers) ? auth.Authorizers : {};
  return Object.entries(authorizers)
    .filter(([, a]) => isPlainObject(a) && a.FunctionArn !== undefined && a.EnableFunctionDefaultPermissions !== true)
    .map(([name]) => ({ path: `${path}.Auth.Authorizers.${name}`, message: 'a Lambda authorizer without EnableFunctionDefaultPermissions: true cannot be invoked by the API (SAM grants no permission by default)' }));
}

/** Flint's node endpoint and account: a template for AWS that carries them points its functions at a laptop. */
export function flintLocalValues(template: unknown, path = ''): Finding[] {
  if (typeof template === 'string') {
    return /127\.0\.0\.1|localhost|\b000000000000\b/.test(template) ? [{ path, message: `a value from the Flint node, meaningless on AWS: ${template}` }] : [];
  }
  if (Array.isArray(template)) return template.flatMap((item, i) => flintLocalValues(item, `${path}[${i}]`));
  if (isPlainObject(template)) return Object.entries(template).flatMap(([key, item]) => flintLocalValues(item, path ? `${path}.${key}` : key));
  return [];
}
