/**
 * Serverless Framework (v3 and v4) serverless.yml → a SAM template, as the Framework's own compilation relates
 * the file to CloudFormation: one AWS::Serverless::Function per function with its events in SAM form, the
 * buckets, topics, buses and APIs the Framework would generate under the logical ids it would give them, then
 * `resources.Resources` merged over them (an entry with a generated id extends that resource, as in the
 * Framework) and `resources.Outputs`. The SAM translator turns the template into Flint's app. What cannot be
 * honoured (plugins, variable sources Flint cannot read, events Flint lacks) is listed, one line per construct.
 */
import { dirname, resolve } from 'node:path';
import { FlintError } from '../../core/index.js';
import { parseCfnYaml } from './cfn-yaml.js';
import type { ApiAuth } from './authorizers.js';
import { loadsDotenv, readDotenv } from './dotenv.js';
import { emptyApiUsage, type ApiUsage, type Resources } from './events.js';
import { addFunction, type FunctionScope } from './functions.js';
import { logicalIds } from './names.js';
import { defined, isRecord, listOf, recordOf, stringOf } from './shapes.js';
import { VariableResolver } from './variables.js';

export const SERVERLESS_FILE_NAMES = ['serverless.yml', 'serverless.yaml'] as const;

export interface ServerlessOptions {
  /** `--stage`; else provider.stage; else "dev". */
  stage?: string;
  /** Other CLI options for `${opt:name}` (`region`, any `--name value`). */
  options?: Record<string, string>;
  /** For `${env:NAME}`; default process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface SamTemplate {
  AWSTemplateFormatVersion: '2010-09-09';
  Transform: 'AWS::Serverless-2016-10-31';
  Description?: string;
  Resources: Resources;
  Outputs?: Record<string, unknown>;
  [section: string]: unknown;
}

export interface ServerlessResult {
  template: SamTemplate;
  /** One line per construct Flint cannot honour. */
  unsupported: string[];
  /** `<service>-<stage>` (or provider.stackName): the name the Framework gives the stack, and Flint the app. */
  stackName: string;
  stage: string;
  region: string;
}

/** Provider settings Flint uses, or that have no meaning on one Flint node (deployment buckets, profiles). */
const PROVIDER_KEYS_HANDLED = new Set([
  'name', 'runtime', 'stage', 'region', 'environment', 'memorySize', 'timeout', 'iam', 'iamRoleStatements', 'iamManagedPolicies',
  'role', 'layers', 'tags', 'logRetentionInDays', 'architecture', 'ephemeralStorageSize', 'httpApi', 'schedule', 'stackName',
  'deploymentBucket', 'deploymentPrefix', 'deploymentMethod', 'profile', 'versionFunctions', 'stackTags', 'lambdaHashingVersion',
  'apiName', 'endpointType', 'eventBridge', 'logs', 'cfnRole', 'stackPolicy', 'rolePermissionsBoundary', 'notificationArns',
  'disableRollback', 'timeoutInSeconds',
]);

/** Top-level keys of serverless.yml Flint reads or that only concern the Framework's own tooling. */
const TOP_LEVEL_HANDLED = new Set([
  'service', 'provider', 'functions', 'resources', 'layers', 'custom', 'params', 'stages', 'package', 'plugins',
  'frameworkVersion', 'org', 'app', 'useDotenv', 'configValidationMode', 'variablesResolutionMode', 'disabledDeprecations',
  'unresolvedVariablesNotificationMode', 'deprecationNotificationMode', 'build', 'license', 'console', 'dashboard',
]);

export function serverlessToSam(text: string, file: string, options: ServerlessOptions = {}): ServerlessResult {
  const path = resolve(file);
  const raw = parseCfnYaml(text, path);
  if (!isRecord(raw)) throw new FlintError('MANIFEST_INVALID', `${path}: a serverless.yml is a mapping (service:, provider:, functions:)`, { file: path });
  const unsupported: string[] = [];
  const cliOptions = { ...(options.options ?? {}), ...(options.stage === undefined ? {} : { stage: options.stage }) };
  const env = options.env ?? process.env;
  const settings = { config: raw, file: path, dir: dirname(path), options: cliOptions, env, unsupported };
  const stage = new VariableResolver(settings).stage;
  // The stage picks the .env file, whose values then serve ${env:...} (the environment's own values win).
  const dotenv = loadsDotenv(raw) ? readDotenv(dirname(path), stage) : {};
  const variables = new VariableResolver({ ...settings, stage, env: { ...dotenv, ...env } });
  const region = variables.region;
  const config = recordOf(variables.resolveDeep(raw, ''));

  const service = serviceName(config, path);
  const provider = recordOf(config.provider);
  checkProvider(provider, path, unsupported);
  for (const key of Object.keys(config)) if (!TOP_LEVEL_HANDLED.has(key)) unsupported.push(`${key}: not a serverless.yml setting Flint knows; ignored`);
  for (const plugin of pluginNames(config.plugins)) unsupported.push(`plugins: ${plugin} is a Framework plugin, which Flint does not run`);

  const userResources = userResourcesOf(config.resources);
  const generated: Resources = {};
  const functions = recordOf(config.functions);
  const scope: FunctionScope = {
    service,
    stage,
    provider,
    functionKeys: new Set(Object.keys(functions)),
    servicePackage: recordOf(config.package),
    generated,
    userResources: userResources.Resources,
    apis: emptyApiUsage(),
    unsupported,
    scheduleMethod: recordOf(provider.schedule).method === 'scheduler' ? 'scheduler' : 'eventBus',
    httpApiAuthorizers: recordOf(recordOf(provider.httpApi).authorizers),
  };
  for (const [key, fn] of Object.entries(functions)) addFunction(key, recordOf(fn), scope, generated);
  addLayers(config.layers, service, stage, generated, unsupported);
  addApis(scope.apis, service, stage, provider, generated, unsupported);

  const template: SamTemplate = {
    AWSTemplateFormatVersion: '2010-09-09',
    Transform: 'AWS::Serverless-2016-10-31',
    Description: stringOf(config.description) ?? `The ${service} service (${stage}), from ${SERVERLESS_FILE_NAMES[0]}`,
    Resources: mergeResources(generated, userResources.Resources),
    ...userResources.sections,
  };
  // Provider settings are shared by every function; each function gets its own copy, not a shared object.
  return { template: JSON.parse(JSON.stringify(template)) as SamTemplate, unsupported, stackName: stringOf(provider.stackName) ?? `${service}-${stage}`, stage, region };
}

function serviceName(config: Record<string, unknown>, file: string): string {
  const service = isRecord(config.service) ? config.service.name : config.service;
  if (typeof service !== 'string' || service === '') throw new FlintError('MANIFEST_INVALID', `${file}: service: is required (the service's name)`, { file, field: 'service' });
  return service;
}

function checkProvider(provider: Record<string, unknown>, file: string, unsupported: string[]): void {
  if (provider.name !== undefined && provider.name !== 'aws') {
    throw new FlintError('MANIFEST_INVALID', `${file}: provider.name is '${String(provider.name)}'; Flint runs AWS Lambda apps (provider.name: aws)`, { file, field: 'provider.name' });
  }
  for (const key of Object.keys(provider)) {
    if (!PROVIDER_KEYS_HANDLED.has(key)) unsupported.push(`provider.${key}: not supported by Flint; ignored`);
  }
}

function pluginNames(plugins: unknown): string[] {
  const list = isRecord(plugins) ? plugins.modules : plugins;
  return listOf(list).map(String);
}

/** `resources:` (a map, or a list of maps from `${file(...)}`) merged: Resources, Outputs and the other sections. */
function userResourcesOf(resources: unknown): { Resources: Resources; sections: Record<string, unknown> } {
  const merged: { Resources: Resources; sections: Record<string, Record<string, unknown>> } = { Resources: {}, sections: {} };
  for (const part of listOf(resources)) {
    for (const [section, value] of Object.entries(recordOf(part))) {
      if (section === 'Resources' || section === 'extensions') {
        merged.Resources = mergeResources(merged.Resources, recordOf(value) as Resources);
      } else if (isRecord(value)) {
        merged.sections[section] = { ...(merged.sections[section] ?? {}), ...value };
      }
    }
  }
  return merged;
}

/** An entry of `overrides` with an id already present extends it: its Properties merged in, the rest replaced. */
function mergeResources(base: Resources, overrides: Resources): Resources {
  const out: Resources = { ...base };
  for (const [id, resource] of Object.entries(overrides)) {
    const existing = out[id];
    out[id] = existing === undefined ? resource : { ...existing, ...resource, Properties: { ...recordOf(existing.Properties), ...recordOf(resource.Properties) } };
  }
  return out;
}

/** Top-level `layers:` → AWS::Serverless::LayerVersion, `<Name>LambdaLayer`, which functions `!Ref`. */
function addLayers(layers: unknown, service: string, stage: string, resources: Resources, unsupported: string[]): void {
  for (const [name, value] of Object.entries(recordOf(layers))) {
    const layer = recordOf(value);
    if (layer.allowedAccounts !== undefined) unsupported.push(`layers.${name}.allowedAccounts: layer permissions for other accounts are not supported by Flint`);
    resources[logicalIds.layer(name)] = {
      Type: 'AWS::Serverless::LayerVersion',
      Properties: defined({
        LayerName: layer.name ?? name,
        Description: layer.description ?? `${name} layer of ${service} (${stage})`,
        ContentUri: layer.path ?? layer.package,
        CompatibleRuntimes: layer.compatibleRuntimes,
        CompatibleArchitectures: layer.compatibleArchitectures,
        LicenseInfo: layer.licenseInfo,
        RetentionPolicy: layer.retain === true ? 'Retain' : undefined,
      }),
    };
  }
}

/** The REST API (`http` events) and HTTP API (`httpApi` events) the Framework creates, with their CORS. */
function addApis(apis: ApiUsage, service: string, stage: string, provider: Record<string, unknown>, resources: Resources, unsupported: string[]): void {
  if (apis.rest.used) {
    resources[logicalIds.restApi] = {
      Type: 'AWS::Serverless::Api',
      Properties: defined({ Name: `${stage}-${service}`, StageName: stage, Cors: restCors(apis.rest.cors, apis.rest.methods), Auth: apiAuth(apis.rest.auth) }),
    };
  }
  const httpApi = recordOf(provider.httpApi);
  if (apis.http.used) {
    if (httpApi.id !== undefined) unsupported.push('provider.httpApi.id: an existing HTTP API is not in this app; Flint creates one for the routes');
    const payload = stringOf(httpApi.payload);
    resources[logicalIds.httpApi] = {
      Type: 'AWS::Serverless::HttpApi',
      Properties: defined({ Name: stringOf(httpApi.name) ?? `${stage}-${service}`, CorsConfiguration: httpCors(httpApi.cors, apis.http.methods), Auth: apiAuth(apis.http.auth) }),
    };
    if (payload === '1.0') setPayloadVersion(resources, '1.0');
  }
}

function apiAuth(auth: ApiAuth): Record<string, unknown> | undefined {
  if (Object.keys(auth.authorizers).length === 0 && !auth.iam) return undefined;
  return defined({ Authorizers: Object.keys(auth.authorizers).length > 0 ? auth.authorizers : undefined, EnableIamAuthorizer: auth.iam ? true : undefined });
}

/** provider.httpApi.payload '1.0' applies to every route; SAM sets it on each HttpApi event. */
function setPayloadVersion(resources: Resources, version: string): void {
  for (const resource of Object.values(resources)) {
    if (resource.Type !== 'AWS::Serverless::Function') continue;
    for (const event of Object.values(recordOf(recordOf(resource.Properties).Events))) {
      const e = recordOf(event);
      if (e.Type === 'HttpApi') e.Properties = { ...recordOf(e.Properties), PayloadFormatVersion: version };
    }
  }
}

/** The Framework's default CORS headers for `cors: true` (REST and HTTP APIs alike). */
const DEFAULT_CORS_HEADERS = ['Content-Type', 'X-Amz-Date', 'Authorization', 'X-Api-Key', 'X-Amz-Security-Token', 'X-Amz-User-Agent', 'X-Amzn-Trace-Id'];

/** Every route's `cors:` folded into the one setting SAM gives a REST API (values are quoted, as SAM wants). */
function restCors(settings: Record<string, unknown>[], methods: Set<string>): unknown {
  if (settings.length === 0) return undefined;
  const origins = new Set(settings.flatMap((s) => listOf(s.origins ?? s.origin ?? '*').map(String)));
  const headers = new Set(settings.flatMap((s) => listOf(s.headers ?? DEFAULT_CORS_HEADERS).map(String)));
  const allowMethods = methods.has('*') ? '*' : ['OPTIONS', ...methods].join(',');
  return defined({
    AllowOrigin: `'${[...origins].join(',')}'`,
    AllowHeaders: `'${[...headers].join(',')}'`,
    AllowMethods: `'${allowMethods}'`,
    AllowCredentials: settings.some((s) => s.allowCredentials === true) ? true : undefined,
    MaxAge: settings.map((s) => s.maxAge).find((v) => v !== undefined),
  });
}

function httpCors(cors: unknown, methods: Set<string>): unknown {
  if (cors === undefined || cors === false) return undefined;
  const settings = recordOf(cors);
  return defined({
    AllowOrigins: settings.allowedOrigins ?? ['*'],
    AllowHeaders: settings.allowedHeaders ?? DEFAULT_CORS_HEADERS,
    AllowMethods: settings.allowedMethods ?? (methods.has('*') ? ['*'] : ['OPTIONS', ...methods]),
    ExposeHeaders: settings.exposedResponseHeaders,
    AllowCredentials: settings.allowCredentials,
    MaxAge: settings.maxAge,
  });
}
