import type { KeySchema, TableInfo, TableStats } from '../../../storage/index.js';
import type { KeySchemaElement, ProvisionedThroughputDescription, TableDescription } from '../api.js';
import { streamArn, tableArn, type Scope } from '../context.js';
import { settingsOf, type TableSettings } from '../table-model.js';

/** DynamoDB's TableDescription for a table: always ACTIVE, with live item counts and sizes. */
export function describeTable(table: TableInfo, stats: TableStats | undefined, scope: Scope, status = 'ACTIVE'): TableDescription {
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
    description.BillingModeSummary = { BillingMode: 'PAY_PER_REQUEST', LastUpdateToPayPerRequestDateTime: new Date(settings.payPerRequestSince ?? table.createdAt) };
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
      return {
        IndexName: index.name,
        KeySchema: keySchema(index.key),
        Projection: own?.projection ?? { ProjectionType: 'ALL' },
        IndexStatus: 'ACTIVE',
        ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: own?.throughput?.read ?? 0, WriteCapacityUnits: own?.throughput?.write ?? 0 },
        IndexSizeBytes: stats?.indexes[index.name]?.sizeBytes ?? 0,
        ItemCount: stats?.indexes[index.name]?.itemCount ?? 0,
        IndexArn: `${arn}/index/${index.name}`,
      };
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
  return description;
}

export function keySchema(key: KeySchema): KeySchemaElement[] {
  const out = [{ AttributeName: key.hash.name, KeyType: 'HASH' }];
  if (key.range) out.push({ AttributeName: key.range.name, KeyType: 'RANGE' });
  return out;
}

function throughputDescription(settings: TableSettings): ProvisionedThroughputDescription {
  return { NumberOfDecreasesToday: 0, ReadCapacityUnits: settings.throughput.read, WriteCapacityUnits: settings.throughput.write };
}
