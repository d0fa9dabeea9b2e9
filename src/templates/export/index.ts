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
import type { AppSpec, AsyncSpec, DestinationSpec, EventSourceSpec, FunctionSpec, LayerSpec, QueueSpec, TableSpec } from '../../manifest/index.js';
import { apiResource, isRestApi, routeEvent } from './apis.js';
import { LogicalIds } from './logical-ids.js';

export interface SamExport {
  AWSTemplateFormatVersion: '2010-09-09';
  Transform: 'AWS::Serverless-2016-10-31';
  Description: string;
  Resources: Record<string, { Type: string; Properties: Record<string, unknown>; Metadata?: Record<string, unknown> }>;
  Outputs?: Record<string, { Description?: string; Value: unknown }>;
}

type Resource = SamExport['Resources'][string];
type SamEvent = { Type: string; Properties: Record<string, unknown> };

/** Lambda's default ephemeral storage (MB): left out of the template when the function keeps it. */
const DEFAULT_EPHEMERAL_STORAGE = 512;

export function appSpecToSam(spec: AppSpec): SamExport {
  const ids = new LogicalIds(spec);
  const resources: Record<string, Resource> = {};
  for (const table of spec.resources.tables) resources[ids.table(table.name)] = tableResource(table, spec);
  for (const bucket of spec.resources.buckets) resources[ids.bucket(bucket.name)] = { Type: 'AWS::S3::Bucket', Properties: { BucketName: bucket.name } };
  for (const queue of spec.resources.queues) resources[ids.queue(queue.name)] = queueResource(queue, ids);
  for (const topic of spec.resources.topics) resources[ids.topic(topic.name)] = { Type: 'AWS::SNS::Topic', Properties: { TopicName: topic.name } };
  for (const api of spec.apis) resources[ids.api(api.name)] = apiResource(api, ids);
  for (const layer of spec.layers ?? []) resources[ids.layer(layer.name)] = layerResource(layer, spec);
  const policies = appPolicies(spec);
  for (const fn of spec.functions) resources[ids.fn(fn.name)] = functionResource(fn, spec, ids, policies);
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
  if (Object.keys(fn.environment).length > 0) properties.Environment = { Variables: { ...fn.environment } };
  if (fn.reservedConcurrency !== undefined) properties.ReservedConcurrentExecutions = fn.reservedConcurrency;
  if (fn.provisionedConcurrency !== undefined) {
    properties.AutoPublishAlias = 'live';
    properties.ProvisionedConcurrencyConfig = { ProvisionedConcurrentExecutions: fn.provisionedConcurrency };
  }
  // An app layer by reference; a layer version ARN as written.
  if (fn.layers?.length) properties.Layers = fn.layers.map((name) => (spec.layers?.some((l) => l.name === name) ? { Ref: ids.layer(name) } : name));
  Object.assign(properties, permissions(fn, policies));
  if (fn.async) Object.assign(properties, asyncProperties(fn.async, ids));
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

function eventsOf(functionName: string, spec: AppSpec, ids: LogicalIds): Record<string, SamEvent> {
  const events: SamEvent[] = [];
  for (const api of spec.apis) {
    for (const route of api.routes.filter((r) => r.functionName === functionName)) events.push(routeEvent(api, route, ids));
  }
  for (const schedule of spec.schedules.filter((s) => s.functionName === functionName)) {
    events.push({ Type: 'Schedule', Properties: { Schedule: schedule.expression } });
  }
  for (const source of (spec.eventSources ?? []).filter((s) => s.functionName === functionName)) events.push(eventSourceEvent(source, ids));
  const named: Record<string, SamEvent> = {};
  events.forEach((event, i) => (named[`${event.Type.replace(/[^A-Za-z0-9]/g, '')}${i + 1}`] = event));
  return named;
}

function eventSourceEvent(source: EventSourceSpec, ids: LogicalIds): SamEvent {
  switch (source.type) {
    case 'sqs': {
      const properties: Record<string, unknown> = { Queue: { 'Fn::GetAtt': [ids.queue(source.queue), 'Arn'] }, BatchSize: source.batchSize };
      if (source.batchingWindow > 0) properties.MaximumBatchingWindowInSeconds = source.batchingWindow;
      if (source.reportBatchItemFailures) properties.FunctionResponseTypes = ['ReportBatchItemFailures'];
      return { Type: 'SQS', Properties: properties };
    }
    case 'sns':
      return { Type: 'SNS', Properties: { Topic: { Ref: ids.topic(source.topic) } } };
    case 's3': {
      const rules = [
        ...(source.prefix !== undefined ? [{ Name: 'prefix', Value: source.prefix }] : []),
        ...(source.suffix !== undefined ? [{ Name: 'suffix', Value: source.suffix }] : []),
      ];
      const properties: Record<string, unknown> = { Bucket: { Ref: ids.bucket(source.bucket) }, Events: source.events.length === 1 ? source.events[0] : source.events };
      if (rules.length > 0) properties.Filter = { S3Key: { Rules: rules } };
      return { Type: 'S3', Properties: properties };
    }
    case 'dynamodb':
      return {
        Type: 'DynamoDB',
        Properties: { Stream: { 'Fn::GetAtt': [ids.table(source.table), 'StreamArn'] }, StartingPosition: source.startingPosition, BatchSize: source.batchSize },
      };
    case 'eventBridge':
      if (source.schedule !== undefined) return { Type: 'Schedule', Properties: { Schedule: source.schedule } };
      return { Type: 'EventBridgeRule', Properties: { Pattern: source.pattern, ...(source.bus === 'default' ? {} : { EventBusName: source.bus }) } };
  }
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

const ARN_SERVICE_TYPES: Record<string, string> = { sqs: 'SQS', sns: 'SNS', lambda: 'Lambda', events: 'EventBridge' };

/** SAM's destination: its type and the ARN, as GetAtt/Ref of the app's resource where it is one. */
function destination(target: DestinationSpec, ids: LogicalIds): { Type: string; Destination: unknown } {
  if (target.type === 'arn') return { Type: ARN_SERVICE_TYPES[target.arn.split(':')[2] ?? ''] ?? 'SQS', Destination: target.arn };
  if (target.type === 'queue') return { Type: 'SQS', Destination: { 'Fn::GetAtt': [ids.queue(target.name), 'Arn'] } };
  if (target.type === 'topic') return { Type: 'SNS', Destination: { Ref: ids.topic(target.name) } };
  return { Type: 'Lambda', Destination: { 'Fn::GetAtt': [ids.fn(target.name), 'Arn'] } };
}

function tableResource(table: TableSpec, spec: AppSpec): Resource {
  const keys = [table.hashKey, ...(table.rangeKey ? [table.rangeKey] : [])];
  const properties: Record<string, unknown> = {
    TableName: table.name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: keys.map((key) => ({ AttributeName: key.name, AttributeType: key.type })),
    KeySchema: keys.map((key, i) => ({ AttributeName: key.name, KeyType: i === 0 ? 'HASH' : 'RANGE' })),
  };
  // A table a function reads the stream of needs one on AWS; Flint's tables always have it.
  if ((spec.eventSources ?? []).some((s) => s.type === 'dynamodb' && s.table === table.name)) properties.StreamSpecification = { StreamViewType: 'NEW_AND_OLD_IMAGES' };
  return { Type: 'AWS::DynamoDB::Table', Properties: properties };
}

function queueResource(queue: QueueSpec, ids: LogicalIds): Resource {
  const properties: Record<string, unknown> = { QueueName: queue.name, VisibilityTimeout: queue.visibilityTimeout };
  if (queue.fifo) properties.FifoQueue = true;
  if (queue.deadLetter) {
    properties.RedrivePolicy = { deadLetterTargetArn: { 'Fn::GetAtt': [ids.queue(queue.deadLetter.queue), 'Arn'] }, maxReceiveCount: queue.deadLetter.maxReceiveCount };
  }
  return { Type: 'AWS::SQS::Queue', Properties: properties };
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
