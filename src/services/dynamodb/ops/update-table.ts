import type { IndexDefinition, KeyType, StreamViewType, TableChanges } from '../../../storage/index.js';
import type { UpdateTableInput, UpdateTableOutput } from '../api.js';
import type { OperationContext } from '../context.js';
import { dynamoError, validation } from '../errors.js';
import { keyNames, settingsOf, type Projection, type TableSettings } from '../table-model.js';
import { checkKeySchema, checkProjection, indexSettings, keySchemaOf, kmsKeyArn } from './create-table.js';
import { storeCall } from './store-calls.js';
import { describedTable, tableOrNotFound } from './tables.js';

const INVALID = 'One or more parameter values were invalid: ';

export async function updateTable(input: UpdateTableInput, ctx: OperationContext): Promise<UpdateTableOutput> {
  const nothing = [input.ProvisionedThroughput, input.BillingMode, input.StreamSpecification, input.GlobalSecondaryIndexUpdates, input.SSESpecification, input.ReplicaUpdates, input.DeletionProtectionEnabled, input.TableClass].every((v) => v === undefined);
  if (nothing) {
    throw validation('At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required');
  }
  const table = await tableOrNotFound(ctx, input.TableName);
  const current = settingsOf(table);
  const settings: TableSettings = { ...current, indexes: { ...current.indexes }, attributeDefinitions: [...current.attributeDefinitions] };
  const changes: TableChanges = {};
  applyBilling(input, settings, ctx.clock.now());
  if (input.DeletionProtectionEnabled !== undefined) settings.deletionProtection = input.DeletionProtectionEnabled;
  if (input.TableClass !== undefined) settings.tableClass = input.TableClass;
  if (input.SSESpecification?.Enabled === true) settings.sse = { kmsKeyArn: kmsKeyArn(input.SSESpecification.KMSMasterKeyId, ctx.scope) };
  else if (input.SSESpecification?.Enabled === false) delete settings.sse;
  applyIndexUpdates(input, table.indexes, keyNames(table.key), settings, changes);
  applyStream(input, table.stream?.enabled === true, changes);
  changes.settings = settings as unknown as Record<string, unknown>;
  const updated = await storeCall(() => ctx.tables.updateTable(table.name, changes));
  const description = await describedTable(ctx, updated);
  // Turning KMS off is answered with the old key UPDATING (LocalStack's recording of AWS,
  // test_dynamodb_create_table_with_partial_sse_specification "update-table-disable-sse-spec"); later descriptions have none.
  if (current.sse && !settings.sse) description.SSEDescription = { Status: 'UPDATING', SSEType: 'KMS', KMSMasterKeyArn: current.sse.kmsKeyArn };
  return { TableDescription: description };
}

function applyBilling(input: UpdateTableInput, settings: TableSettings, now: number): void {
  const mode = input.BillingMode ?? settings.billingMode;
  if (mode === 'PAY_PER_REQUEST') {
    if (input.ProvisionedThroughput) throw validation(`${INVALID}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST`);
    if (settings.billingMode !== 'PAY_PER_REQUEST') {
      settings.billingMode = 'PAY_PER_REQUEST';
      settings.payPerRequestSince = now;
      settings.throughput = { read: 0, write: 0 };
      for (const name of Object.keys(settings.indexes)) {
        const { throughput: _dropped, ...rest } = settings.indexes[name]!;
        settings.indexes[name] = rest;
      }
    }
    return;
  }
  if (settings.billingMode !== 'PROVISIONED' && !input.ProvisionedThroughput) {
    throw validation(`${INVALID}ProvisionedThroughput must be specified when BillingMode is PROVISIONED`);
  }
  settings.billingMode = 'PROVISIONED';
  if (input.ProvisionedThroughput) {
    settings.throughput = { read: input.ProvisionedThroughput.ReadCapacityUnits ?? 0, write: input.ProvisionedThroughput.WriteCapacityUnits ?? 0 };
  }
}

function applyIndexUpdates(input: UpdateTableInput, existing: IndexDefinition[], tableKeys: string[], settings: TableSettings, changes: TableChanges): void {
  const updates = input.GlobalSecondaryIndexUpdates;
  if (!updates) return;
  const definitions = new Map<string, KeyType>(settings.attributeDefinitions.map((d) => [d.AttributeName, d.AttributeType]));
  for (const d of input.AttributeDefinitions ?? []) if (d.AttributeName && d.AttributeType) definitions.set(d.AttributeName, d.AttributeType as KeyType);
  const touched = new Set<string>();
  for (const update of updates) {
    const count = [update.Create, update.Delete, update.Update].filter((u) => u !== undefined).length;
    if (count !== 1) throw validation(`${INVALID}One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null`);
    const name = (update.Create ?? update.Delete ?? update.Update)!.IndexName;
    if (touched.has(name)) throw validation(`${INVALID}Only one global secondary index update per index is allowed simultaneously. Index: ${name}`);
    touched.add(name);
    const current = existing.find((i) => i.name === name);
    if (update.Create) {
      if (current) throw dynamoError('ResourceInUseException', `Attempt to change a resource which is still in use: Index already exists: ${name}`);
      checkKeySchema(update.Create.KeySchema, [...definitions.keys()], true);
      checkProjection(update.Create.Projection as Projection);
      if (settings.billingMode === 'PROVISIONED' && !update.Create.ProvisionedThroughput) {
        throw validation(`${INVALID}ProvisionedThroughput must be specified for index: ${name}`);
      }
      (changes.addIndexes ??= []).push({ name, global: true, key: keySchemaOf(update.Create.KeySchema, definitions) });
      settings.indexes[name] = indexSettings(update.Create, settings.billingMode);
      for (const key of update.Create.KeySchema) {
        if (!settings.attributeDefinitions.some((d) => d.AttributeName === key.AttributeName)) {
          settings.attributeDefinitions.push({ AttributeName: key.AttributeName, AttributeType: definitions.get(key.AttributeName)! });
        }
      }
      continue;
    }
    if (!current || !current.global) throw dynamoError('ResourceNotFoundException', `Requested resource not found: Index: ${name} not found`);
    if (update.Delete) {
      (changes.removeIndexes ??= []).push(name);
      delete settings.indexes[name];
      continue;
    }
    const given = update.Update!.ProvisionedThroughput;
    if (given) settings.indexes[name] = { ...settings.indexes[name]!, throughput: { read: given.ReadCapacityUnits ?? 0, write: given.WriteCapacityUnits ?? 0 } };
  }
  // Attribute definitions of a dropped index's keys go with it.
  const removed = new Set(changes.removeIndexes ?? []);
  const remaining = [...existing.filter((i) => !removed.has(i.name)), ...(changes.addIndexes ?? [])];
  const used = new Set([...tableKeys, ...remaining.flatMap((i) => keyNames(i.key))]);
  settings.attributeDefinitions = settings.attributeDefinitions.filter((d) => used.has(d.AttributeName));
}

function applyStream(input: UpdateTableInput, enabled: boolean, changes: TableChanges): void {
  const stream = input.StreamSpecification;
  if (!stream) return;
  if (stream.StreamEnabled) {
    if (!stream.StreamViewType) throw validation(`${INVALID}StreamViewType is required when the stream is enabled`);
    if (enabled) throw validation('Table already has an enabled stream');
    changes.stream = { viewType: stream.StreamViewType as StreamViewType };
    return;
  }
  if (stream.StreamViewType) throw validation(`${INVALID}Table is being updated with a stream disabled, UpdateViewType should not be specified`);
  if (!enabled) throw validation('Table does not have an enabled stream');
  changes.stream = null;
}
