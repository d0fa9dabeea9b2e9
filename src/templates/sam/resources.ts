/**
 * The data and API resources of a template → flint.yaml `resources`, `apis` and `layers`: SimpleTable and
 * DynamoDB::Table, S3::Bucket, SQS::Queue, SNS::Topic, Serverless::Api/HttpApi, LayerVersion, SSM::Parameter,
 * Logs::LogGroup, Events::EventBus, SecretsManager::Secret. Properties Flint has no field for are reported.
 */
import { apiAuth } from './auth.js';
import { asBoolean, asNumber, copy, isMap, jsonProperty, QUEUE_TYPES, whyNot, type Translation } from './context.js';
import type { TemplateResource } from './model.js';

type Translator = (t: Translation, id: string, r: TemplateResource) => void;

/** Properties that change nothing on one machine (capacity, tags, encryption at rest). */
const NO_EFFECT = new Set(['Tags', 'BillingMode', 'ProvisionedThroughput', 'SSESpecification', 'KmsMasterKeyId', 'SqsManagedSseEnabled', 'DeletionProtectionEnabled', 'TableClass']);

export const RESOURCE_TRANSLATORS: Record<string, Translator> = {
  'AWS::Serverless::SimpleTable': simpleTable,
  'AWS::DynamoDB::Table': dynamodbTable,
  'AWS::S3::Bucket': (t, id, r) => {
    report(t, id, r, ['BucketName', 'NotificationConfiguration']);
    t.resourceSection('buckets')[t.model.name(id)] = null;
    t.source(['resources', 'buckets', t.model.name(id)], ['Resources', id]);
  },
  'AWS::SQS::Queue': queue,
  'AWS::SNS::Topic': topic,
  'AWS::Serverless::Api': restApi,
  'AWS::Serverless::HttpApi': httpApi,
  'AWS::Serverless::LayerVersion': layer,
  'AWS::Lambda::LayerVersion': layer,
  'AWS::SSM::Parameter': ssmParameter,
  'AWS::Logs::LogGroup': logGroup,
  'AWS::Events::EventBus': (t, id, r) => {
    report(t, id, r, ['Name']);
    t.resourceSection('buses')[t.model.name(id)] = null;
    t.source(['resources', 'buses', t.model.name(id)], ['Resources', id]);
  },
  'AWS::SecretsManager::Secret': secret,
};

function report(t: Translation, id: string, r: TemplateResource, read: readonly string[]): void {
  for (const key of Object.keys(r.Properties)) if (!read.includes(key) && !NO_EFFECT.has(key)) t.notHonoured(id, key, whyNot(key));
}

const KEY_TYPES: Record<string, string> = { String: 'S', Number: 'N', Binary: 'B', S: 'S', N: 'N', B: 'B' };

function simpleTable(t: Translation, id: string, r: TemplateResource): void {
  report(t, id, r, ['TableName', 'PrimaryKey']);
  // SAM's default primary key: `id` of type String.
  const key = isMap(r.Properties.PrimaryKey) ? r.Properties.PrimaryKey : { Name: 'id', Type: 'String' };
  const name = t.model.name(id);
  t.resourceSection('tables')[name] = { hashKey: { name: String(key.Name ?? 'id'), type: KEY_TYPES[String(key.Type ?? 'String')] ?? key.Type } };
  t.source(['resources', 'tables', name], ['Resources', id, 'Properties']);
}

/** Fields of the manifest helper's contract (issue #13): table `indexes`, `ttl`, `stream`. */
function dynamodbTable(t: Translation, id: string, r: TemplateResource): void {
  const p = r.Properties;
  report(t, id, r, ['TableName', 'KeySchema', 'AttributeDefinitions', 'GlobalSecondaryIndexes', 'TimeToLiveSpecification', 'StreamSpecification']);
  const types = new Map((Array.isArray(p.AttributeDefinitions) ? p.AttributeDefinitions.filter(isMap) : []).map((a) => [String(a.AttributeName), String(a.AttributeType)]));
  const keys = keysOf(p.KeySchema, types);
  const table: Record<string, unknown> = { ...keys };
  if (Array.isArray(p.GlobalSecondaryIndexes)) {
    const indexes: Record<string, unknown> = {};
    for (const index of p.GlobalSecondaryIndexes.filter(isMap)) {
      const projection = isMap(index.Projection) ? index.Projection : {};
      const kind = projection.ProjectionType ?? 'ALL';
      indexes[String(index.IndexName)] = { ...keysOf(index.KeySchema, types), projection: kind === 'INCLUDE' ? projection.NonKeyAttributes : kind };
    }
    table.indexes = indexes;
  }
  if (isMap(p.TimeToLiveSpecification) && asBoolean(p.TimeToLiveSpecification.Enabled) === true) table.ttl = p.TimeToLiveSpecification.AttributeName;
  if (isMap(p.StreamSpecification)) table.stream = p.StreamSpecification.StreamViewType;
  const name = t.model.name(id);
  t.resourceSection('tables')[name] = table;
  t.source(['resources', 'tables', name], ['Resources', id, 'Properties']);
}

function keysOf(schema: unknown, types: Map<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Array.isArray(schema) ? schema.filter(isMap) : []) {
    const field = key.KeyType === 'RANGE' ? 'rangeKey' : 'hashKey';
    out[field] = { name: String(key.AttributeName), type: types.get(String(key.AttributeName)) ?? 'S' };
  }
  return out;
}

/** Fields of the manifest helper's contract (issue #13): queue `retention`, `delay`, `maxMessageSize`. */
function queue(t: Translation, id: string, r: TemplateResource): void {
  const p = r.Properties;
  report(t, id, r, ['QueueName', 'FifoQueue', 'VisibilityTimeout', 'RedrivePolicy', 'MessageRetentionPeriod', 'DelaySeconds', 'MaximumMessageSize']);
  const out: Record<string, unknown> = {};
  const fifo = asBoolean(p.FifoQueue);
  if (fifo !== undefined) out.fifo = fifo;
  copy(out, 'visibilityTimeout', p.VisibilityTimeout, asNumber);
  copy(out, 'retention', p.MessageRetentionPeriod, asNumber);
  copy(out, 'delay', p.DelaySeconds, asNumber);
  copy(out, 'maxMessageSize', p.MaximumMessageSize, asNumber);
  const redrive = jsonProperty(p.RedrivePolicy, ['Resources', id, 'Properties', 'RedrivePolicy']);
  if (isMap(redrive)) {
    const target = t.refersTo(redrive.deadLetterTargetArn, QUEUE_TYPES);
    if (target === undefined) t.notHonoured(id, 'RedrivePolicy', `${String(redrive.deadLetterTargetArn)} is not a queue of this template`);
    else out.deadLetter = { queue: target.name, ...(asNumber(redrive.maxReceiveCount) === undefined ? {} : { maxReceiveCount: asNumber(redrive.maxReceiveCount) }) };
  }
  const name = t.model.name(id);
  t.resourceSection('queues')[name] = Object.keys(out).length > 0 ? out : null;
  t.source(['resources', 'queues', name], ['Resources', id, 'Properties']);
}

/** Field of the manifest helper's contract (issue #13): topic `fifo`; subscriptions are wired later. */
function topic(t: Translation, id: string, r: TemplateResource): void {
  report(t, id, r, ['TopicName', 'FifoTopic', 'Subscription', 'ContentBasedDeduplication']);
  const fifo = asBoolean(r.Properties.FifoTopic);
  const name = t.model.name(id);
  t.resourceSection('topics')[name] = fifo === true ? { fifo } : null;
  t.source(['resources', 'topics', name], ['Resources', id, 'Properties']);
}

function restApi(t: Translation, id: string, r: TemplateResource): void {
  report(t, id, r, ['StageName', 'Cors', 'Name', 'Description', 'EndpointConfiguration', 'OpenApiVersion', 'Auth']);
  const settings: Record<string, unknown> = { payload: '1.0', ...stageOf(r.Properties.StageName), ...apiAuth(t, id, r.Properties.Auth, '1.0') };
  const cors = restCors(r.Properties.Cors);
  if (cors !== undefined) settings.cors = cors;
  (t.document.apis ??= {})[id] = settings;
  t.source(['apis', id], ['Resources', id, 'Properties']);
}

/** A named stage (not HTTP APIs' `$default`): requests may then carry `/<stage>` before a route's path. */
function stageOf(stage: unknown): { stage?: string } {
  return typeof stage === 'string' && /^[A-Za-z0-9_-]{1,128}$/.test(stage) ? { stage } : {};
}

/** SAM's Api Cors: a quoted origin ("'*'") or a map of quoted header values. */
function restCors(cors: unknown): Record<string, unknown> | undefined {
  if (cors === undefined) return undefined;
  const unquote = (value: unknown): string => String(value).replace(/^'(.*)'$/, '$1');
  const list = (value: unknown): string[] | undefined => (value === undefined ? undefined : unquote(value).split(',').map((s) => s.trim()).filter(Boolean));
  if (!isMap(cors)) return { allowOrigins: [unquote(cors)], allowMethods: ['*'], allowHeaders: ['*'] };
  const out: Record<string, unknown> = { allowOrigins: list(cors.AllowOrigin) ?? ['*'] };
  copy(out, 'allowMethods', cors.AllowMethods, list);
  copy(out, 'allowHeaders', cors.AllowHeaders, list);
  copy(out, 'maxAge', cors.MaxAge, (v) => asNumber(unquote(v)));
  copy(out, 'allowCredentials', cors.AllowCredentials, asBoolean);
  return out;
}

function httpApi(t: Translation, id: string, r: TemplateResource): void {
  report(t, id, r, ['StageName', 'CorsConfiguration', 'Name', 'Description', 'Auth']);
  const settings: Record<string, unknown> = { payload: '2.0', ...stageOf(r.Properties.StageName), ...apiAuth(t, id, r.Properties.Auth, '2.0') };
  const cors = r.Properties.CorsConfiguration;
  if (cors === true || cors === 'true') settings.cors = true;
  else if (isMap(cors)) {
    const out: Record<string, unknown> = {};
    for (const [field, key] of [['allowOrigins', 'AllowOrigins'], ['allowMethods', 'AllowMethods'], ['allowHeaders', 'AllowHeaders'], ['exposeHeaders', 'ExposeHeaders'], ['maxAge', 'MaxAge'], ['allowCredentials', 'AllowCredentials']] as const) copy(out, field, cors[key]);
    settings.cors = out;
  }
  (t.document.apis ??= {})[id] = settings;
  t.source(['apis', id], ['Resources', id, 'Properties']);
}

/** Field of the layers helper's contract (issue #13): `layers: { <name>: { path, runtimes?, description? } }`. */
function layer(t: Translation, id: string, r: TemplateResource): void {
  const p = r.Properties;
  report(t, id, r, ['LayerName', 'ContentUri', 'Content', 'CompatibleRuntimes', 'Description', 'RetentionPolicy', 'LicenseInfo', 'CompatibleArchitectures']);
  const content = p.ContentUri ?? p.Content;
  if (typeof content !== 'string') {
    t.notHonoured(id, 'ContentUri', 'layer content in S3 cannot be fetched: point ContentUri at the local folder');
    return;
  }
  const out: Record<string, unknown> = { path: content };
  if (Array.isArray(p.CompatibleRuntimes)) out.runtimes = p.CompatibleRuntimes;
  copy(out, 'description', p.Description);
  const name = t.model.name(id);
  (t.document.layers ??= {})[name] = out;
  t.source(['layers', name], ['Resources', id, 'Properties']);
}

/** Field of the SSM helper's contract (issue #13): `resources.parameters`. */
function ssmParameter(t: Translation, id: string, r: TemplateResource): void {
  const p = r.Properties;
  report(t, id, r, ['Name', 'Type', 'Value', 'Description', 'Tier', 'AllowedPattern', 'DataType']);
  const out: Record<string, unknown> = { type: p.Type ?? 'String', value: String(p.Value ?? '') };
  copy(out, 'description', p.Description);
  const name = t.model.name(id);
  t.resourceSection('parameters')[name] = out;
  t.source(['resources', 'parameters', name], ['Resources', id, 'Properties']);
}

/** A function's own log group (`/aws/lambda/<function>`) exists in Flint already; other groups are not created. */
function logGroup(t: Translation, id: string, r: TemplateResource): void {
  const name = t.model.name(id);
  const own = name.startsWith('/aws/lambda/') && name.slice('/aws/lambda/'.length) in t.document.functions;
  if (!own) t.notHonoured(id, 'resource', `log group ${name} is not created (Flint keeps each function's logs in /aws/lambda/<function>)`);
  if (r.Properties.RetentionInDays !== undefined) t.notHonoured(id, 'RetentionInDays', "Flint's own log retention applies (7 days by default)");
}

/** A secret with its value, or a generated one (Flint generates 32 characters; the generator's options are reported). */
function secret(t: Translation, id: string, r: TemplateResource): void {
  const p = r.Properties;
  report(t, id, r, ['Name', 'SecretString', 'GenerateSecretString', 'Description']);
  const out: Record<string, unknown> = p.GenerateSecretString !== undefined ? { generate: true } : {};
  if (p.GenerateSecretString === undefined) copy(out, 'value', p.SecretString);
  copy(out, 'description', p.Description);
  if (isMap(p.GenerateSecretString)) for (const key of Object.keys(p.GenerateSecretString)) t.notHonoured(id, `GenerateSecretString.${key}`, 'Flint generates a 32-character password');
  const name = t.model.name(id);
  t.resourceSection('secrets')[name] = out;
  t.source(['resources', 'secrets', name], ['Resources', id, 'Properties']);
}
