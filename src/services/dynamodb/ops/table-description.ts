import type { KeySchema, TableInfo, TableStats } from '../../../storage/index.js';
import type { GlobalSecondaryIndexDescription, KeySchemaElement, ProvisionedThroughputDescription, TableDescription } from '../api.js';
import { streamArn, tableArn, type Scope } from '../context.js';
import { settingsOf, type TableSettings, type Throughput } from '../table-model.js';

/**
 * DynamoDB's TableDescription for a table, with live item counts and sizes. A table is CREATING only in
 * CreateTable's answer and DELETING in DeleteTable's (see the fidelity note); as AWS's recordings show (LocalStack's
 * test_gsi_with_billing_mode and test_table_warm_throughput), CreateTable's answer has no LastUpdateToPayPerRequestDateTime
 * and no WarmThroughput unless one was asked for, while later descriptions always carry WarmThroughput: the
 * requested one, or on-demand's 12000 reads and 4000 writes per second, or the provisioned capacity.
 */
export function describeTable(table: TableInfo, stats: TableStats | undefined, scope: Scope, status = 'ACTIVE'): TableDescription {
  const creating = status === 'CREATING';
  const settings = settingsOf(table);
  const arn = tableArn(scope, table.name);
  const description: TableDescription = {
    AttributeDefinitions: settings.attributeDefinitions,
    TableName: table.name,
    KeySchema: keySchema(table.key),
    TableStatus: status,
    CreationDateTime: new Date(table.createdAt),
    ProvisionedThroughput: throughputDescription(settings),
    TableSizeBytes: stats?.sizeBytes ?? 0,
    ItemCount: stats?.itemCount ?? 0,
    TableArn: arn,
    TableId: settings.tableId,
  };
  if (settings.billingMode === 'PAY_PER_REQUEST') {
    description.BillingModeSummary = creating
      ? { BillingMode: 'PAY_PER_REQUEST' }
      : { BillingMode: 'PAY_PER_REQUEST', LastUpdateToPayPerRequestDateTime: new Date(settings.payPerRequestSince ?? table.createdAt) };
  }
  const locals = table.indexes.filter((i) => !i.global);
  const globals = table.indexes.filter((i) => i.global);
  if (locals.length > 0) {
    description.LocalSecondaryIndexes = locals.map((index) => ({
      IndexName: index.name,
      KeySchema: keySchema(index.key),
      Projection: settings.indexes[index.name]?.projection ?? { ProjectionType: 'ALL' },
      IndexSizeBytes: stats?.indexes[index.name]?.sizeBytes ?? 0,
      ItemCount: stats?.indexes[index.name]?.itemCount ?? 0,
      IndexArn: `${arn}/index/${index.name}`,
    }));
  }
  if (globals.length > 0) {
    description.GlobalSecondaryIndexes = globals.map((index) => {
      const own = settings.indexes[index.name];
      const described: GlobalSecondaryIndexDescription = {
        IndexName: index.name,
        KeySchema: keySchema(index.key),
        Projection: own?.projection ?? { ProjectionType: 'ALL' },
        IndexStatus: creating ? 'CREATING' : 'ACTIVE',
        ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: own?.throughput?.read ?? 0, WriteCapacityUnits: own?.throughput?.write ?? 0 },
        IndexSizeBytes: stats?.indexes[index.name]?.sizeBytes ?? 0,
        ItemCount: stats?.indexes[index.name]?.itemCount ?? 0,
        IndexArn: `${arn}/index/${index.name}`,
      };
      if (!creating) described.WarmThroughput = { ...warmThroughput(settings, own?.throughput), Status: 'ACTIVE' };
      return described;
    });
  }
  if (table.stream) {
    description.StreamSpecification = table.stream.enabled ? { StreamEnabled: true, StreamViewType: table.stream.viewType } : { StreamEnabled: false };
    description.LatestStreamLabel = table.stream.label;
    description.LatestStreamArn = streamArn(scope, table.name, table.stream.label);
  }
  if (settings.restore) description.RestoreSummary = { ...settings.restore, RestoreDateTime: new Date(settings.restore.RestoreDateTime), RestoreInProgress: false };
  if (settings.tableClass) description.TableClassSummary = { TableClass: settings.tableClass };
  description.DeletionProtectionEnabled = settings.deletionProtection;
  if (settings.sse) description.SSEDescription = { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: settings.sse.kmsKeyArn };
  if (!creating) description.WarmThroughput = { ...warmThroughput(settings, settings.throughput, settings.warm), Status: 'ACTIVE' };
  else if (settings.warm) description.WarmThroughput = { ...warmThroughput(settings, settings.throughput, settings.warm), Status: 'UPDATING' };
  return description;
}

/** A key schema as described: HASH elements, then RANGE elements, each in the order CreateTable gave them. */
export function keySchema(key: KeySchema): KeySchemaElement[] {
  const out = [{ AttributeName: key.hash.name, KeyType: 'HASH' }];
  for (const attribute of key.moreHash ?? []) out.push({ AttributeName: attribute.name, KeyType: 'HASH' });
  if (key.range) out.push({ AttributeName: key.range.name, KeyType: 'RANGE' });
  for (const attribute of key.moreRange ?? []) out.push({ AttributeName: attribute.name, KeyType: 'RANGE' });
  return out;
}

function throughputDescription(settings: TableSettings): ProvisionedThroughputDescription {
  return { NumberOfDecreasesToday: 0, ReadCapacityUnits: settings.throughput.read, WriteCapacityUnits: settings.throughput.write };
}

/** On-demand capacity a new table or index is warmed to, as AWS describes it (test_gsi_with_billing_mode[PAY_PER_REQUEST]). */
const ON_DEMAND_WARM = { ReadUnitsPerSecond: 12000, WriteUnitsPerSecond: 4000 };

function warmThroughput(settings: TableSettings, provisioned: Throughput | undefined, requested?: Throughput): { ReadUnitsPerSecond: number; WriteUnitsPerSecond: number } {
  if (requested) return { ReadUnitsPerSecond: requested.read, WriteUnitsPerSecond: requested.write };
  if (settings.billingMode === 'PAY_PER_REQUEST') return { ...ON_DEMAND_WARM };
  return { ReadUnitsPerSecond: provisioned?.read ?? 0, WriteUnitsPerSecond: provisioned?.write ?? 0 };
}
