import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, PutItemCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { FakeClock } from '../../../src/core/index.js';
import { startTestNode, type TestNode } from '../../helpers/node.js';

/**
 * A node for backup and point-in-time recovery tests: its own data folder (so a test can stop it and start another
 * node on the same data) and a FakeClock the tests move.
 */
export interface BackupNode {
  test: TestNode;
  clock: FakeClock;
  db: DynamoDBClient;
  dataDir: string;
  /** Stops the node and starts another on the same data, with the same clock. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export const START = Date.parse('2026-03-10T15:00:00Z');

export async function startBackupNode(): Promise<BackupNode> {
  const dir = await mkdtemp(join(tmpdir(), 'flint-ddb-backups-'));
  const dataDir = join(dir, 'data');
  const clock = new FakeClock(START);
  const node: BackupNode = {
    test: await startTestNode({ clock, dataDir }),
    clock,
    dataDir,
    db: undefined as unknown as DynamoDBClient,
    async restart() {
      node.db.destroy();
      await node.test.node.close();
      node.test = await startTestNode({ clock, dataDir });
      node.db = new DynamoDBClient(node.test.config);
    },
    async close() {
      node.db.destroy();
      await node.test.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  node.db = new DynamoDBClient(node.test.config);
  return node;
}

/** A table keyed by `pk` (S) and `sk` (N) with a global index on `g`, on demand. */
export async function musicTable(db: DynamoDBClient, TableName: string): Promise<void> {
  await db.send(
    new CreateTableCommand({
      TableName,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
        { AttributeName: 'g', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
}

export async function put(db: DynamoDBClient, TableName: string, pk: string, sk: number, v: string): Promise<void> {
  await db.send(new PutItemCommand({ TableName, Item: { pk: { S: pk }, sk: { N: String(sk) }, g: { S: 'all' }, v: { S: v } } }));
}

/** The table's items as "pk/sk=v", sorted. */
export async function contents(db: DynamoDBClient, TableName: string): Promise<string[]> {
  const { Items = [] } = await db.send(new ScanCommand({ TableName }));
  return Items.map((item: Record<string, AttributeValue>) => `${item.pk!.S}/${item.sk!.N}=${item.v!.S}`).sort();
}
