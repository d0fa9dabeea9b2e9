/**
 * Generates the AWS service models Flint serves from, and the TypeScript types of their operations, from botocore's
 * published models (`data/<service>/<version>/service-2.json[.gz]`). Run: `npx tsx scripts/gen-models.ts`
 * (options: `--botocore DIR` for the newest botocore's data folder, `--legacy DIR` for Debian's, used where a service
 * changed protocol and its older model still carries the older protocol's traits).
 *
 * What is kept: metadata, operations and shapes with every trait a server needs (locations, names, namespaces,
 * flattening, timestamp formats, constraints, enums, error codes and statuses); documentation is dropped. Each model
 * records the botocore version it came from. The output is data about AWS's APIs, regenerated rather than edited.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

interface ServiceEntry {
  /** File name under src/protocol/models/. */
  id: string;
  /** botocore data folder and API version. */
  source: string;
  /** Where the operation types go (omitted: no types). */
  types?: string;
  /** Shapes a service passes through as parsed (JSON) or as received (REST bindings); typed `unknown`. */
  opaque?: string[];
  /** Only these operations (and the shapes they reach); default all. */
  operations?: string[];
  /** Take query-protocol traits (names, flattening, error codes, result wrappers) from the legacy model. */
  queryTraitsFromLegacy?: boolean;
}

const SERVICES: ServiceEntry[] = [
  { id: 'dynamodb', source: 'dynamodb/2012-08-10', types: 'src/services/dynamodb/api.ts', opaque: ['AttributeValue'] },
  { id: 'dynamodbstreams', source: 'dynamodbstreams/2012-08-10', types: 'src/services/dynamodb/streams-api.ts', opaque: ['AttributeValue'] },
  { id: 'sqs', source: 'sqs/2012-11-05', types: 'src/services/sqs/api.ts', queryTraitsFromLegacy: true },
  { id: 'sns', source: 'sns/2010-03-31', types: 'src/services/sns/api.ts' },
  // S3 reads these query and header values itself: it words its own errors for them and ignores a bad date.
  {
    id: 's3',
    source: 's3/2006-03-01',
    types: 'src/services/s3/api.ts',
    opaque: ['PartNumber', 'MaxKeys', 'MaxParts', 'MaxUploads', 'PartNumberMarker', 'MaxBuckets', 'FetchOwner', 'IfModifiedSince', 'IfUnmodifiedSince', 'CopySourceIfModifiedSince', 'CopySourceIfUnmodifiedSince', 'ResponseExpires', 'ObjectLockEnabledForBucket', 'BypassGovernanceRetention'],
  },
  // CreateFunction's Code is read by the service: code from S3 and images are refused before their fields are checked.
  { id: 'lambda', source: 'lambda/2015-03-31', types: 'src/services/lambda/api.ts', opaque: ['FunctionCode'] },
  // Identity and the control plane (issue 10).
  { id: 'sts', source: 'sts/2011-06-15', types: 'src/services/sts/api.ts' },
  { id: 'iam', source: 'iam/2010-05-08', types: 'src/services/iam/api.ts' },
  { id: 'events', source: 'events/2015-10-07', types: 'src/services/events/api.ts' },
  { id: 'scheduler', source: 'scheduler/2021-06-30', types: 'src/services/scheduler/api.ts' },
  { id: 'logs', source: 'logs/2014-03-28', types: 'src/services/logs/api.ts' },
  // The @connections API of API Gateway WebSocket APIs (issue 13).
  { id: 'apigatewaymanagementapi', source: 'apigatewaymanagementapi/2018-11-29', types: 'src/services/apigateway/websocket/management-api.ts' },
  // Configuration stores Lambda apps read (issue 13): Parameter Store's operations only, and Secrets Manager.
  {
    id: 'ssm',
    source: 'ssm/2014-11-06',
    types: 'src/services/ssm/api.ts',
    operations: ['PutParameter', 'GetParameter', 'GetParameters', 'GetParametersByPath', 'DescribeParameters', 'GetParameterHistory', 'DeleteParameter', 'DeleteParameters', 'LabelParameterVersion', 'UnlabelParameterVersion', 'AddTagsToResource', 'RemoveTagsFromResource', 'ListTagsForResource'],
  },
  {
    id: 'secretsmanager',
    source: 'secretsmanager/2017-10-17',
    types: 'src/services/secretsmanager/api.ts',
    operations: ['CreateSecret', 'GetSecretValue', 'BatchGetSecretValue', 'PutSecretValue', 'UpdateSecret', 'DescribeSecret', 'ListSecrets', 'ListSecretVersionIds', 'DeleteSecret', 'RestoreSecret', 'UpdateSecretVersionStage', 'TagResource', 'UntagResource', 'GetRandomPassword', 'RotateSecret', 'CancelRotateSecret'],
  },
  // Protocol fixtures: a current SDK's CBOR service and the EC2 protocol, a few operations each.
  { id: 'cloudwatch', source: 'cloudwatch/2010-08-01', types: 'test/protocol/models/cloudwatch-api.ts', operations: ['PutMetricData', 'ListMetrics', 'GetMetricStatistics', 'DescribeAlarms', 'SetAlarmState'] },
  { id: 'ec2', source: 'ec2/2016-11-15', types: 'test/protocol/models/ec2-api.ts', operations: ['DescribeRegions', 'CreateTags', 'DescribeTags', 'DescribeKeyPairs', 'CreateKeyPair'] },
];

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'src/protocol/models');

type Json = Record<string, unknown>;

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The newest botocore on this machine: the pip one (pyenv) when present, else Debian's. */
function botocoreData(): string {
  const given = option('--botocore');
  if (given) return given;
  for (const python of ['python3', '/usr/bin/python3']) {
    try {
      const dir = execFileSync(python, ['-c', 'import botocore, os; print(os.path.dirname(botocore.__file__))'], { encoding: 'utf8' }).trim();
      return join(dir, 'data');
    } catch {
      // try the next Python
    }
  }
  throw new Error('gen-models: no botocore found; pass --botocore <botocore/data>');
}

function botocoreVersion(data: string): string {
  const init = readFileSync(join(data, '..', '__init__.py'), 'utf8');
  return /__version__ = '([^']+)'/.exec(init)?.[1] ?? 'unknown';
}

function readModel(data: string, source: string): Json {
  const base = join(data, source, 'service-2.json');
  if (existsSync(`${base}.gz`)) return JSON.parse(gunzipSync(readFileSync(`${base}.gz`)).toString('utf8')) as Json;
  return JSON.parse(readFileSync(base, 'utf8')) as Json;
}

const DROPPED = new Set(['documentation', 'documentationUrl', 'deprecatedMessage', 'examples']);

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value === null || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [key, inner] of Object.entries(value)) if (!DROPPED.has(key)) out[key] = strip(inner);
  return out;
}

const QUERY_TRAITS = ['locationName', 'flattened'];

/**
 * Copies the query protocol's naming traits from a legacy model onto shapes and members of the same name, under a
 * `query` key so that the JSON protocol's own names stay as they are; error codes (the awsQueryError trait) are
 * copied as they are, since awsQueryCompatible services send them in `x-amzn-query-error`.
 */
function addQueryTraits(model: Json, legacy: Json): void {
  const shapes = model.shapes as Record<string, Json>;
  const old = legacy.shapes as Record<string, Json>;
  for (const [name, shape] of Object.entries(shapes)) {
    const before = old[name];
    if (!before) continue;
    copyQueryTraits(shape, before);
    if (before.error !== undefined && shape.error === undefined) shape.error = before.error;
    for (const part of ['member', 'key', 'value'] as const) copyQueryTraits(shape[part] as Json | undefined, before[part] as Json | undefined);
    const members = (shape.members ?? {}) as Record<string, Json>;
    const oldMembers = (before.members ?? {}) as Record<string, Json>;
    for (const [member, ref] of Object.entries(members)) copyQueryTraits(ref, oldMembers[member]);
  }
  const operations = model.operations as Record<string, Json>;
  const oldOperations = legacy.operations as Record<string, Json>;
  for (const [name, operation] of Object.entries(operations)) {
    const wrapper = (oldOperations[name]?.output as Json | undefined)?.resultWrapper;
    if (wrapper !== undefined && operation.output) (operation.output as Json).resultWrapper = wrapper;
  }
  const metadata = model.metadata as Json;
  const legacyMetadata = legacy.metadata as Json;
  metadata.xmlNamespace = legacyMetadata.xmlNamespace;
  metadata.protocols = [...new Set([...((metadata.protocols as string[]) ?? [metadata.protocol as string]), legacyMetadata.protocol as string])];
}

function copyQueryTraits(target: Json | undefined, before: Json | undefined): void {
  if (!target || !before) return;
  const traits: Json = {};
  for (const trait of QUERY_TRAITS) if (before[trait] !== undefined) traits[trait] = before[trait];
  if (Object.keys(traits).length > 0) target.query = traits;
}

/** Keeps only the named operations and the shapes they reach. */
function subset(model: Json, names: string[]): void {
  const operations = model.operations as Record<string, Json>;
  const shapes = model.shapes as Record<string, Json>;
  const kept: Record<string, Json> = {};
  const reached = new Set<string>();
  const visit = (name: string | undefined): void => {
    if (!name || reached.has(name)) return;
    reached.add(name);
    const shape = shapes[name]!;
    for (const ref of shapeRefs(shape)) visit(ref);
  };
  for (const name of names) {
    const operation = operations[name];
    if (!operation) throw new Error(`gen-models: no operation ${name}`);
    kept[name] = operation;
    for (const ref of operationRefs(operation)) visit(ref);
  }
  model.operations = kept;
  model.shapes = Object.fromEntries(Object.entries(shapes).filter(([name]) => reached.has(name)));
}

function shapeRefs(shape: Json): string[] {
  const refs: string[] = [];
  for (const part of ['member', 'key', 'value'] as const) {
    const ref = shape[part] as Json | undefined;
    if (ref) refs.push(ref.shape as string);
  }
  for (const member of Object.values((shape.members ?? {}) as Record<string, Json>)) refs.push(member.shape as string);
  return refs;
}

function operationRefs(operation: Json): string[] {
  const refs: string[] = [];
  for (const part of ['input', 'output'] as const) {
    const ref = operation[part] as Json | undefined;
    if (ref) refs.push(ref.shape as string);
  }
  for (const error of (operation.errors ?? []) as Json[]) refs.push(error.shape as string);
  return refs;
}

// ---- TypeScript types ----

/** Names that would shadow a global type inside the generated module. */
const RESERVED = new Set(['Object', 'Error', 'String', 'Number', 'Boolean', 'Date', 'Function', 'Record', 'Map', 'Set', 'Array', 'Promise', 'Symbol', 'Buffer', 'Blob', 'Uint8Array', 'Partial', 'Required', 'Event', 'Request', 'Response', 'Body', 'Headers']);

function typeName(shape: string): string {
  return RESERVED.has(shape) ? `${shape}Shape` : shape;
}

function memberKey(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
}

function typeOf(shapes: Record<string, Json>, name: string, opaque: ReadonlySet<string>, streaming = false): string {
  if (opaque.has(name)) return 'unknown';
  const shape = shapes[name]!;
  switch (shape.type) {
    case 'structure':
      return typeName(name);
    case 'list':
      return `${wrap(typeOf(shapes, (shape.member as Json).shape as string, opaque))}[]`;
    case 'map':
      return `Record<string, ${typeOf(shapes, (shape.value as Json).shape as string, opaque)}>`;
    case 'string':
      return 'string';
    case 'blob':
      return streaming || shape.streaming ? 'StreamingBlob' : 'Uint8Array';
    case 'timestamp':
      return 'Date';
    case 'boolean':
      return 'boolean';
    case 'integer':
    case 'long':
    case 'float':
    case 'double':
    case 'bigdecimal':
    case 'biginteger':
      return 'number';
    default:
      return 'unknown';
  }
}

function wrap(type: string): string {
  return type.includes(' ') || type.includes('<') ? `(${type})` : type;
}

function renderTypes(entry: ServiceEntry, model: Json, version: string): string {
  const shapes = model.shapes as Record<string, Json>;
  const operations = model.operations as Record<string, Json>;
  const opaque = new Set(entry.opaque ?? []);
  const structures = new Set<string>();
  const visit = (name: string): void => {
    if (opaque.has(name) || structures.has(name)) return;
    const shape = shapes[name]!;
    if (shape.type === 'structure') structures.add(name);
    for (const ref of shapeRefs(shape)) visit(ref);
  };
  for (const operation of Object.values(operations)) for (const ref of operationRefs(operation)) visit(ref);
  const lines = [
    `// Generated by scripts/gen-models.ts from botocore ${version} (${entry.source}); do not edit.`,
    '',
    `/** The operations of the model, each with its input and output shape. */`,
    `export interface Operations {`,
  ];
  for (const [name, operation] of Object.entries(operations)) {
    const input = (operation.input as Json | undefined)?.shape as string | undefined;
    const output = (operation.output as Json | undefined)?.shape as string | undefined;
    lines.push(`  ${name}: { input: ${input ? typeName(input) : 'Record<string, never>'}; output: ${output ? typeName(output) : 'Record<string, never>'} };`);
  }
  lines.push('}', '');
  for (const name of [...structures].sort()) {
    const shape = shapes[name]!;
    const required = new Set((shape.required ?? []) as string[]);
    const members = Object.entries((shape.members ?? {}) as Record<string, Json>);
    if (members.length === 0) {
      lines.push(`export type ${typeName(name)} = Record<string, never>;`, '');
      continue;
    }
    lines.push(`export interface ${typeName(name)} {`);
    for (const [member, ref] of members) {
      const type = typeOf(shapes, ref.shape as string, opaque, Boolean(ref.streaming));
      lines.push(`  ${memberKey(member)}${required.has(member) ? '' : '?'}: ${type};`);
    }
    lines.push('}', '');
  }
  const text = lines.join('\n');
  // Only operations with streamed payloads need the kit's type.
  return text.includes('StreamingBlob') ? text.replace('\n\n', `\nimport type { StreamingBlob } from '../../protocol/index.js';\n\n`) : text;
}

function main(): void {
  const data = botocoreData();
  const legacyData = option('--legacy') ?? '/usr/lib/python3/dist-packages/botocore/data';
  const version = botocoreVersion(data);
  mkdirSync(OUT, { recursive: true });
  for (const entry of SERVICES) {
    const model = strip(readModel(data, entry.source)) as Json;
    if (entry.queryTraitsFromLegacy) addQueryTraits(model, strip(readModel(legacyData, entry.source)) as Json);
    if (entry.operations) subset(model, entry.operations);
    const legacyNote = entry.queryTraitsFromLegacy ? `; query traits from botocore ${botocoreVersion(legacyData)}` : '';
    const file = join(OUT, `${entry.id}.json`);
    writeFileSync(file, `${JSON.stringify({ source: `botocore ${version} ${entry.source}${legacyNote}`, ...model })}\n`);
    console.log(`gen-models: wrote ${relative(ROOT, file)}`);
    if (entry.types) {
      const target = join(ROOT, entry.types);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, `${renderTypes(entry, model, version)}\n`);
      console.log(`gen-models: wrote ${entry.types}`);
    }
  }
}

main();
