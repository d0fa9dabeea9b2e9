/**
 * A Flint app (the normalised AppSpec) → a SAM template that `sam deploy` accepts, so an app can leave Flint as
 * easily as it came: one AWS::Serverless::Function per function with its triggers as SAM events (HttpApi routes,
 * SQS, SNS, S3, Schedule, DynamoDB streams), asynchronous settings as EventInvokeConfig, and the app's tables,
 * buckets, queues and topics as CloudFormation resources under the names the app uses. Each function is given
 * SAM policy templates for the app's resources, since on Flint every function of an app may use them all.
 * Functions Flint bundles (Node.js) carry SAM's `BuildMethod: esbuild`, so `sam build` bundles them the same way.
 * (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-function.html)
 */
import { existsSync } from 'node:fs';
import { basename, extname, join, relative, sep } from 'node:path';
import { stringify } from 'yaml';
import type { AppSpec, AsyncSpec, CorsSpec, DestinationSpec, FunctionSpec, FunctionUrlSpec, LayerSpec } from '../../manifest/index.js';
import { apiResource, isRestApi } from './apis.js';
import { eventsOf } from './events.js';
import { LogicalIds } from './logical-ids.js';
import { portable } from './portable.js';
import { busResource, parameterResource, queueResource, secretResource, subscriptionResources, tableResource, topicResource, type Resource } from './resources.js';

export interface SamExport {
  AWSTemplateFormatVersion: '2010-09-09';
  Transform: 'AWS::Serverless-2016-10-31';
  Description: string;
  /** `Flint::NotExported`: what of the app the template does not carry, one line each, for the user to act on. */
  Metadata?: { 'Flint::NotExported': string[] };
  Resources: Record<string, Resource>;
  Outputs?: Record<string, { Description?: string; Value: unknown }>;
}

/** Lambda's default ephemeral storage (MB): left out of the template when the function keeps it. */
const DEFAULT_EPHEMERAL_STORAGE = 512;

export function appSpecToSam(spec: AppSpec): SamExport {
  const ids = new LogicalIds(spec);
  const resources: Record<string, Resource> = {};
  for (const table of spec.resources.tables) resources[ids.table(table.name)] = tableResource(table, spec);
  for (const bucket of spec.resources.buckets) resources[ids.bucket(bucket.name)] = { Type: 'AWS::S3::Bucket', Properties: { BucketName: bucket.name } };
  for (const queue of spec.resources.queues) resources[ids.queue(queue.name)] = queueResource(queue, ids);
  for (const topic of spec.resources.topics) resources[ids.topic(topic.name)] = topicResource(topic);
  Object.assign(resources, subscriptionResources(spec, ids));
  for (const bus of spec.resources.buses ?? []) resources[ids.bus(bus.name)] = busResource(bus);
  const notExported: string[] = [];
  // An app deployed by an older node may have neither list.
  for (const parameter of spec.resources.parameters ?? []) {
    const resource = parameterResource(parameter);
    if (resource) resources[ids.parameter(parameter.name)] = resource;
    else notExported.push(`SSM parameter ${parameter.name}: CloudFormation cannot create a SecureString; create it with aws ssm put-parameter --type SecureString`);
  }
  for (const secret of spec.resources.secrets ?? []) resources[ids.secret(secret.name)] = secretResource(secret);
  for (const api of spec.apis) resources[ids.api(api.name)] = apiResource(api, ids);
  for (const layer of spec.layers ?? []) resources[ids.layer(layer.name)] = layerResource(layer, spec);
  const policies = appPolicies(spec);
  for (const fn of spec.functions) resources[ids.fn(fn.name)] = functionResource(fn, spec, ids, policies);
  for (const ws of spec.websockets ?? []) notExported.push(`WebSocket API ${ws.name}: SAM has no WebSocket resource; its routes (${ws.routes.map((r) => r.routeKey).join(', ')}) are not in the template`);
  const outputs = Object.fromEntries(
    spec.apis.map((api) => [
      `${ids.api(api.name)}Url`,
      {
        Description: `Base URL of the ${api.name} ${isRestApi(api) ? 'REST' : 'HTTP'} API`,
        Value: { 'Fn::Sub': `https://\${${ids.api(api.name)}}.execute-api.\${AWS::Region}.\${AWS::URLSuffix}/${api.stage === undefined ? '' : `${api.stage}/`}` },
      },
    ]),
  );
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Transform: 'AWS::Serverless-2016-10-31',
    Description: `${spec.name}, exported from Flint`,
    ...(notExported.length > 0 ? { Metadata: { 'Flint::NotExported': notExported } } : {}),
    Resources: resources,
    ...(Object.keys(outputs).length > 0 ? { Outputs: outputs } : {}),
  };
}

/** The template as YAML. YAML 1.1 quoting, as CloudFormation reads YAML 1.1: "2010-09-09" stays text, not a date. */
export function samTemplateYaml(template: SamExport, source?: string): string {
  const header = `# SAM template written by \`flint export sam\`${source ? ` from ${source}` : ''}.\n# Deploy with: sam build && sam deploy --guided\n`;
  return header + stringify(template, { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false });
}

function functionResource(fn: FunctionSpec, spec: AppSpec, ids: LogicalIds, policies: unknown[]): Resource {
  const codeUri = relative(spec.dir, fn.codeDir).split(sep).join('/') || '.';
  const build = fn.bundle ? esbuildEntry(fn) : undefined;
  const properties: Record<string, unknown> = {
    FunctionName: fn.name,
    Runtime: fn.runtime,
    Handler: build?.handler ?? fn.handler,
    CodeUri: codeUri,
    MemorySize: fn.memorySize,
    Timeout: fn.timeout,
  };
  if (fn.description) properties.Description = fn.description;
  if (fn.ephemeralStorage !== DEFAULT_EPHEMERAL_STORAGE) properties.EphemeralStorage = { Size: fn.ephemeralStorage };
  if (Object.keys(fn.environment).length > 0) properties.Environment = { Variables: portable(fn.environment, spec, ids) };
  if (fn.reservedConcurrency !== undefined) properties.ReservedConcurrentExecutions = fn.reservedConcurrency;
  if (fn.provisionedConcurrency !== undefined) {
    properties.AutoPublishAlias = 'live';
    properties.ProvisionedConcurrencyConfig = { ProvisionedConcurrentExecutions: fn.provisionedConcurrency };
  }
  // An app layer by reference; a layer version ARN as written.
  if (fn.layers?.length) properties.Layers = fn.layers.map((name) => (spec.layers?.some((l) => l.name === name) ? { Ref: ids.layer(name) } : name));
  Object.assign(properties, portable(permissions(fn, policies), spec, ids));
  if (fn.async) Object.assign(properties, portable(asyncProperties(fn.async, ids), spec, ids));
  if (fn.url) properties.FunctionUrlConfig = functionUrl(fn.url);
  const events = eventsOf(fn.name, spec, ids);
  if (Object.keys(events).length > 0) properties.Events = events;
  const resource: Resource = { Type: 'AWS::Serverless::Function', Properties: properties };
  if (build) resource.Metadata = build.metadata;
  return resource;
}

/** A layer of the app as SAM's LayerVersion: its folder (or zip) as ContentUri, beside the functions' CodeUri. */
function layerResource(layer: LayerSpec, spec: AppSpec): Resource {
  const properties: Record<string, unknown> = { LayerName: layer.name, ContentUri: relative(spec.dir, layer.path).split(sep).join('/') || '.' };
  if (layer.description) properties.Description = layer.description;
  if (layer.runtimes.length > 0) properties.CompatibleRuntimes = [...layer.runtimes];
  return { Type: 'AWS::Serverless::LayerVersion', Properties: properties };
}

const SOURCE_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '.tsx', '.jsx'];

/**
 * SAM's esbuild build bundles `EntryPoints` into the root of the package, so the handler names the bundle's
 * file (`email.handler` for `src/email.ts`), as SAM's own TypeScript templates write it.
 */
function esbuildEntry(fn: FunctionSpec): { handler: string; metadata: Record<string, unknown> } | undefined {
  const dot = fn.handler.lastIndexOf('.');
  const module = fn.handler.slice(0, dot);
  const exported = fn.handler.slice(dot + 1);
  const extension = SOURCE_EXTENSIONS.find((ext) => existsSync(join(fn.codeDir, module + ext)));
  if (dot < 0 || extension === undefined) return undefined;
  const entry = `${module}${extension}`;
  const buildProperties: Record<string, unknown> = { EntryPoints: [entry], Target: 'es2022' };
  if (extension === '.mjs' || extension === '.mts') buildProperties.Format = 'esm';
  if (fn.external.length > 0) buildProperties.External = [...fn.external];
  return { handler: `${basename(entry, extname(entry))}.${exported}`, metadata: { BuildMethod: 'esbuild', BuildProperties: buildProperties } };
}

function asyncProperties(settings: AsyncSpec, ids: LogicalIds): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const config: Record<string, unknown> = {};
  if (settings.maximumRetryAttempts !== undefined) config.MaximumRetryAttempts = settings.maximumRetryAttempts;
  if (settings.maximumEventAge !== undefined) config.MaximumEventAgeInSeconds = settings.maximumEventAge;
  const destinations: Record<string, unknown> = {};
  if (settings.onSuccess) destinations.OnSuccess = destination(settings.onSuccess, ids);
  if (settings.onFailure) destinations.OnFailure = destination(settings.onFailure, ids);
  if (Object.keys(destinations).length > 0) config.DestinationConfig = destinations;
  if (Object.keys(config).length > 0) out.EventInvokeConfig = config;
  if (settings.deadLetter) {
    const target = destination(settings.deadLetter, ids);
    out.DeadLetterQueue = { Type: target.Type, TargetArn: target.Destination };
  }
  return out;
}

/** A function URL as SAM's FunctionUrlConfig (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-functionurlconfig.html). */
function functionUrl(url: FunctionUrlSpec): Record<string, unknown> {
  const config: Record<string, unknown> = { AuthType: url.authType };
  if (url.invokeMode !== 'BUFFERED') config.InvokeMode = url.invokeMode;
  if (url.cors) config.Cors = urlCors(url.cors);
  return config;
}

/** AWS::Lambda::Url's Cors: lists, MaxAge in seconds. */
function urlCors(cors: CorsSpec): Record<string, unknown> {
  const out: Record<string, unknown> = { AllowOrigins: cors.allowOrigins };
  if (cors.allowMethods.length > 0) out.AllowMethods = cors.allowMethods;
  if (cors.allowHeaders.length > 0) out.AllowHeaders = cors.allowHeaders;
  if (cors.exposeHeaders.length > 0) out.ExposeHeaders = cors.exposeHeaders;
  if (cors.maxAge !== undefined) out.MaxAge = cors.maxAge;
  if (cors.allowCredentials) out.AllowCredentials = true;
  return out;
}

const ARN_SERVICE_TYPES: Record<string, string> = { sqs: 'SQS', sns: 'SNS', lambda: 'Lambda', events: 'EventBridge' };

/** SAM's destination: its type and the ARN, as GetAtt/Ref of the app's resource where it is one. */
function destination(target: DestinationSpec, ids: LogicalIds): { Type: string; Destination: unknown } {
  if (target.type === 'arn') return { Type: ARN_SERVICE_TYPES[target.arn.split(':')[2] ?? ''] ?? 'SQS', Destination: target.arn };
  if (target.type === 'queue') return { Type: 'SQS', Destination: { 'Fn::GetAtt': [ids.queue(target.name), 'Arn'] } };
  if (target.type === 'topic') return { Type: 'SNS', Destination: { Ref: ids.topic(target.name) } };
  return { Type: 'Lambda', Destination: { 'Fn::GetAtt': [ids.fn(target.name), 'Arn'] } };
}

/**
 * The function's own role or policies (from a SAM template's Role/Policies) when it has them; otherwise the
 * app-wide policy templates. Managed policy ARNs stay as they are; statements go into one inline policy document.
 */
function permissions(fn: FunctionSpec & IamSettings, appWide: unknown[]): Record<string, unknown> {
  if (fn.role !== undefined) return { Role: fn.role };
  if (fn.policies === undefined) return appWide.length > 0 ? { Policies: appWide } : {};
  const managed = fn.policies.filter((p) => typeof p === 'string');
  const statements = fn.policies.filter((p) => typeof p !== 'string');
  const policies = [...managed, ...(statements.length > 0 ? [{ Version: '2012-10-17', Statement: statements }] : [])];
  return policies.length > 0 ? { Policies: policies } : {};
}

/**
 * `role` and `policies` of a function (the shared flint.yaml contract of issue 13, defined by the SAM
 * translator's branch); optional here so this file reads specs with or without them.
 */
interface IamSettings {
  role?: string;
  policies?: Array<string | Record<string, unknown>>;
}

/**
 * SAM policy templates for every resource of the app, which on Flint each function of the app may use. Names are
 * written out rather than `!Ref`'d: a bucket that notifies a function must not also be a dependency of it
 * (CloudFormation would report a circular dependency).
 */
function appPolicies(spec: AppSpec): unknown[] {
  return [
    ...spec.resources.tables.map((t) => ({ DynamoDBCrudPolicy: { TableName: t.name } })),
    ...spec.resources.buckets.map((b) => ({ S3CrudPolicy: { BucketName: b.name } })),
    ...spec.resources.queues.flatMap((q) => [{ SQSSendMessagePolicy: { QueueName: q.name } }, { SQSPollerPolicy: { QueueName: q.name } }]),
    ...spec.resources.topics.map((t) => ({ SNSPublishMessagePolicy: { TopicName: t.name } })),
  ];
}
