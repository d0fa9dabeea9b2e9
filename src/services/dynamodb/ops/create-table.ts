import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { isFlintError } from '../../../core/index.js';
import type { IndexDefinition, KeySchema, KeyType, NewTable, StreamViewType } from '../../../storage/index.js';
import type { OperationContext } from '../context.js';
import { dynamoError, validation } from '../errors.js';
import { keySchemaElement, projection, streamSpecification, tag, throughput } from '../schemas.js';
import type { IndexSettings, Projection, TableSettings } from '../table-model.js';
import { Constraints, parseShape } from '../validate.js';
import { describeTable } from './table-description.js';

const indexInput = z.object({
  IndexName: z.string().optional(),
  KeySchema: z.array(keySchemaElement).optional(),
  Projection: projection.optional(),
  ProvisionedThroughput: throughput.optional(),
});

export const createTableInput = z.object({
  TableName: z.string().optional(),
  AttributeDefinitions: z.array(z.object({ AttributeName: z.string().optional(), AttributeType: z.string().optional() })).optional(),
  KeySchema: z.array(keySchemaElement).optional(),
  LocalSecondaryIndexes: z.array(indexInput).optional(),
  GlobalSecondaryIndexes: z.array(indexInput).optional(),
  BillingMode: z.string().optional(),
  ProvisionedThroughput: throughput.optional(),
  StreamSpecification: streamSpecification.optional(),
  TableClass: z.string().optional(),
  DeletionProtectionEnabled: z.boolean().optional(),
  Tags: z.array(tag).optional(),
  SSESpecification: z.unknown().optional(),
});

type CreateTableInput = z.output<typeof createTableInput>;
type IndexInput = z.output<typeof indexInput>;
type KeySchemaInput = z.output<typeof keySchemaElement>[];

export const STREAM_VIEW_TYPES = ['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY'] as const;
const INVALID = 'One or more parameter values were invalid: ';

/** How DynamoDB prints a KeySchema list in constraint messages. */
function showKeySchema(keys: KeySchemaInput): string[] {
  return keys.map((k) => `KeySchemaElement(attributeName=${k.AttributeName}, keyType=${k.KeyType})`);
}

export function checkThroughput(constraints: Constraints, value: z.output<typeof throughput> | undefined, field: string): void {
  if (value === undefined) return;
  constraints.notNull(value.ReadCapacityUnits, `${field}.readCapacityUnits`).range(value.ReadCapacityUnits, `${field}.readCapacityUnits`, 1);
  constraints.notNull(value.WriteCapacityUnits, `${field}.writeCapacityUnits`).range(value.WriteCapacityUnits, `${field}.writeCapacityUnits`, 1);
}

export function checkIndexMembers(constraints: Constraints, indexes: IndexInput[] | undefined, field: string): void {
  indexes?.forEach((index, i) => {
    const at = `${field}.${i + 1}.member`;
    constraints.tableName(index.IndexName, `${at}.indexName`, 3);
    constraints.notNull(index.KeySchema, `${at}.keySchema`);
    if (index.KeySchema) constraints.length(showKeySchema(index.KeySchema), `${at}.keySchema`, 1, 2);
    index.KeySchema?.forEach((key, k) => {
      constraints.notNull(key.AttributeName, `${at}.keySchema.${k + 1}.member.attributeName`);
      constraints.notNull(key.KeyType, `${at}.keySchema.${k + 1}.member.keyType`).oneOf(key.KeyType, `${at}.keySchema.${k + 1}.member.keyType`, ['HASH', 'RANGE']);
    });
    constraints.notNull(index.Projection, `${at}.projection`);
    constraints.oneOf(index.Projection?.ProjectionType, `${at}.projection.projectionType`, ['ALL', 'INCLUDE', 'KEYS_ONLY']);
    constraints.length(index.Projection?.NonKeyAttributes, `${at}.projection.nonKeyAttributes`, 1, 20);
    checkThroughput(constraints, index.ProvisionedThroughput, `${at}.provisionedThroughput`);
  });
}

function checkMembers(input: CreateTableInput): void {
  const constraints = new Constraints();
  constraints.notNull(input.AttributeDefinitions, 'attributeDefinitions');
  input.AttributeDefinitions?.forEach((definition, i) => {
    constraints.notNull(definition.AttributeName, `attributeDefinitions.${i + 1}.member.attributeName`);
    constraints.notNull(definition.AttributeType, `attributeDefinitions.${i + 1}.member.attributeType`)
      .oneOf(definition.AttributeType, `attributeDefinitions.${i + 1}.member.attributeType`, ['B', 'N', 'S']);
  });
  constraints.tableName(input.TableName, 'tableName', 3);
  constraints.oneOf(input.BillingMode, 'billingMode', ['PROVISIONED', 'PAY_PER_REQUEST']);
  checkThroughput(constraints, input.ProvisionedThroughput, 'provisionedThroughput');
  constraints.notNull(input.KeySchema, 'keySchema');
  if (input.KeySchema) constraints.length(showKeySchema(input.KeySchema), 'keySchema', 1, 2);
  input.KeySchema?.forEach((key, i) => {
    constraints.notNull(key.AttributeName, `keySchema.${i + 1}.member.attributeName`);
    constraints.notNull(key.KeyType, `keySchema.${i + 1}.member.keyType`).oneOf(key.KeyType, `keySchema.${i + 1}.member.keyType`, ['HASH', 'RANGE']);
  });
  checkIndexMembers(constraints, input.LocalSecondaryIndexes, 'localSecondaryIndexes');
  checkIndexMembers(constraints, input.GlobalSecondaryIndexes, 'globalSecondaryIndexes');
  constraints.oneOf(input.StreamSpecification?.StreamViewType, 'streamSpecification.streamViewType', STREAM_VIEW_TYPES);
  constraints.oneOf(input.TableClass, 'tableClass', ['STANDARD', 'STANDARD_INFREQUENT_ACCESS']);
  constraints.done();
}

/** The KeySchema checks DynamoDB applies to a table's and to each index's key schema. */
export function checkKeySchema(keys: KeySchemaInput, definitions: string[]): void {
  const names = keys.map((k) => k.AttributeName!);
  if (names.some((name) => !definitions.includes(name))) {
    throw validation(`${INVALID}Some index key attributes are not defined in AttributeDefinitions. Keys: [${names.join(', ')}], AttributeDefinitions: [${definitions.join(', ')}]`);
  }
  if (names.length === 2 && names[0] === names[1]) throw validation('Both the Hash Key and the Range Key element in the KeySchema have the same name');
  if (keys[0]!.KeyType !== 'HASH') throw validation('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  if (keys[1] && keys[1].KeyType !== 'RANGE') throw validation('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
}

export function checkProjection(projection: Projection | undefined, required = true): void {
  if (!projection?.ProjectionType) {
    if (required) throw validation(`${INVALID}Unknown ProjectionType: null`);
    return;
  }
  const type = projection.ProjectionType;
  if (projection.NonKeyAttributes && type !== 'INCLUDE') throw validation(`${INVALID}ProjectionType is ${type}, but NonKeyAttributes is specified`);
}

function checkCustom(input: CreateTableInput): void {
  if (input.BillingMode === 'PAY_PER_REQUEST') {
    if (input.ProvisionedThroughput) throw validation(`${INVALID}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST`);
  } else if (!input.ProvisionedThroughput?.ReadCapacityUnits || !input.ProvisionedThroughput.WriteCapacityUnits) {
    throw validation(`${INVALID}ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED`);
  }
  const definitions = input.AttributeDefinitions!.map((d) => d.AttributeName!);
  const keys = input.KeySchema!;
  if (keys.length > definitions.length) throw validation('Invalid KeySchema: Some index key attribute have no definition');
  checkKeySchema(keys, definitions);
  const names = new Set<string>();
  const used = new Set(keys.map((k) => k.AttributeName!));
  if (input.LocalSecondaryIndexes) {
    if (input.LocalSecondaryIndexes.length === 0) throw validation(`${INVALID}List of LocalSecondaryIndexes is empty`);
    if (keys.length !== 2) throw validation(`${INVALID}Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex`);
    for (const index of input.LocalSecondaryIndexes) {
      checkKeySchema(index.KeySchema!, definitions);
      if (index.KeySchema!.length !== 2) throw validation(`${INVALID}Index KeySchema does not have a range key for index: ${index.IndexName}`);
      const hash = index.KeySchema![0]!.AttributeName;
      if (hash !== keys[0]!.AttributeName) {
        throw validation(`${INVALID}Index KeySchema does not have the same leading hash key as table KeySchema for index: ${index.IndexName}. index hash key: ${hash}, table hash key: ${keys[0]!.AttributeName}`);
      }
      checkProjection(index.Projection as Projection);
      if (names.has(index.IndexName!)) throw validation(`${INVALID}Duplicate index name: ${index.IndexName}`);
      names.add(index.IndexName!);
      index.KeySchema!.forEach((k) => used.add(k.AttributeName!));
    }
    if (input.LocalSecondaryIndexes.length > 5) throw validation(`${INVALID}Number of LocalSecondaryIndexes exceeds per-table limit of 5`);
  }
  if (input.GlobalSecondaryIndexes) {
    if (input.GlobalSecondaryIndexes.length === 0) throw validation(`${INVALID}List of GlobalSecondaryIndexes is empty`);
    for (const index of input.GlobalSecondaryIndexes) {
      checkKeySchema(index.KeySchema!, definitions);
      checkProjection(index.Projection as Projection);
      if (input.BillingMode === 'PAY_PER_REQUEST' && index.ProvisionedThroughput) {
        throw validation(`${INVALID}ProvisionedThroughput should not be specified for index: ${index.IndexName} when BillingMode is PAY_PER_REQUEST`);
      }
      if (input.BillingMode !== 'PAY_PER_REQUEST' && !index.ProvisionedThroughput) {
        throw validation(`${INVALID}ProvisionedThroughput must be specified for index: ${index.IndexName}`);
      }
      if (names.has(index.IndexName!)) throw validation(`${INVALID}Duplicate index name: ${index.IndexName}`);
      names.add(index.IndexName!);
      index.KeySchema!.forEach((k) => used.add(k.AttributeName!));
    }
    if (input.GlobalSecondaryIndexes.length > 20) throw validation(`${INVALID}GlobalSecondaryIndex count exceeds the per-table limit of 20`);
  }
  if (definitions.length !== used.size || definitions.some((d) => !used.has(d))) {
    throw validation(`${INVALID}Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions`);
  }
  const stream = input.StreamSpecification;
  if (stream && !stream.StreamEnabled && stream.StreamViewType) {
    throw validation(`${INVALID}Table is being created with a stream disabled, UpdateViewType should not be specified`);
  }
  if (stream?.StreamEnabled && !stream.StreamViewType) throw validation(`${INVALID}StreamViewType is required when the stream is enabled`);
}

export function keySchemaOf(keys: KeySchemaInput, types: Map<string, KeyType>): KeySchema {
  const [hash, range] = keys;
  const schema: KeySchema = { hash: { name: hash!.AttributeName!, type: types.get(hash!.AttributeName!)! } };
  if (range) schema.range = { name: range.AttributeName!, type: types.get(range.AttributeName!)! };
  return schema;
}

export function indexSettings(index: IndexInput, billingMode: string | undefined): IndexSettings {
  const settings: IndexSettings = { projection: cleanProjection(index.Projection as Projection) };
  const given = index.ProvisionedThroughput;
  if (billingMode !== 'PAY_PER_REQUEST' && given) settings.throughput = { read: given.ReadCapacityUnits ?? 0, write: given.WriteCapacityUnits ?? 0 };
  return settings;
}

function cleanProjection(projection: Projection): Projection {
  const out: Projection = { ProjectionType: projection.ProjectionType };
  if (projection.NonKeyAttributes) out.NonKeyAttributes = projection.NonKeyAttributes;
  return out;
}

/** The store's view of a validated CreateTable request. */
export function newTable(input: CreateTableInput, createdAt: number): NewTable {
  const types = new Map(input.AttributeDefinitions!.map((d) => [d.AttributeName!, d.AttributeType as KeyType]));
  const indexes: IndexDefinition[] = [];
  const indexSettingsByName: Record<string, IndexSettings> = {};
  for (const [list, global] of [[input.LocalSecondaryIndexes, false], [input.GlobalSecondaryIndexes, true]] as const) {
    for (const index of list ?? []) {
      indexes.push({ name: index.IndexName!, global, key: keySchemaOf(index.KeySchema!, types) });
      indexSettingsByName[index.IndexName!] = indexSettings(index, input.BillingMode);
    }
  }
  const payPerRequest = input.BillingMode === 'PAY_PER_REQUEST';
  const settings: TableSettings = {
    tableId: randomUUID(),
    attributeDefinitions: input.AttributeDefinitions!.map((d) => ({ AttributeName: d.AttributeName!, AttributeType: d.AttributeType as KeyType })),
    billingMode: payPerRequest ? 'PAY_PER_REQUEST' : 'PROVISIONED',
    throughput: payPerRequest ? { read: 0, write: 0 } : { read: input.ProvisionedThroughput?.ReadCapacityUnits ?? 0, write: input.ProvisionedThroughput?.WriteCapacityUnits ?? 0 },
    indexes: indexSettingsByName,
    deletionProtection: input.DeletionProtectionEnabled === true,
    tags: (input.Tags ?? []).map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' })),
  };
  if (payPerRequest) settings.payPerRequestSince = createdAt;
  if (input.TableClass) settings.tableClass = input.TableClass;
  const table: NewTable = { name: input.TableName!, key: keySchemaOf(input.KeySchema!, types), indexes, settings: settings as unknown as Record<string, unknown> };
  if (input.StreamSpecification?.StreamEnabled) table.stream = { viewType: input.StreamSpecification.StreamViewType as StreamViewType };
  return table;
}

export async function createTable(raw: unknown, ctx: OperationContext): Promise<unknown> {
  const input = parseShape(createTableInput, raw);
  if (input.TableName === undefined) throw validation("The parameter 'TableName' is required but was not present in the request");
  checkMembers(input);
  checkCustom(input);
  try {
    const table = await ctx.tables.createTable(newTable(input, ctx.clock.now()));
    return { TableDescription: describeTable(table, undefined, ctx.scope) };
  } catch (error) {
    if (isFlintError(error, 'RESOURCE_CONFLICT')) throw dynamoError('ResourceInUseException', `Table already exists: ${input.TableName}`);
    throw error;
  }
}
