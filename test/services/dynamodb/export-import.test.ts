import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import {
  CreateTableCommand,
  DescribeExportCommand,
  DescribeImportCommand,
  DynamoDBClient,
  ExportTableToPointInTimeCommand,
  ImportTableCommand,
  PutItemCommand,
  ScanCommand,
  type AttributeValue,
  type ExportDescription,
  type ImportTableDescription,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_CLI } from '../../helpers/clients.js';
import { clientEnv, startTestNode, type TestNode } from '../../helpers/node.js';

/**
 * ExportTableToPointInTime and ImportTable against the node the product assembles, with the SDK v3 and Debian's
 * AWS CLI 2.9: an export lands in the node's S3 as DynamoDB lays it out
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataExport.Output.html: AWSDynamoDB/<ExportId>/
 * with manifest-summary.json, manifest-files.json and gzipped data files of one {"Item":...} per line), and that
 * export imported into a new table gives back the same items
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataImport.Format.html). LocalStack's
 * snapshots record no export or import calls, so the shapes asserted are the API model's and these pages'.
 */

const execFileAsync = promisify(execFile);

let testNode: TestNode;
let dynamo: DynamoDBClient;
let s3: S3Client;
let home: string;

beforeAll(async () => {
  testNode = await startTestNode();
  dynamo = new DynamoDBClient(testNode.config);
  s3 = new S3Client({ ...testNode.config, forcePathStyle: true });
  home = mkdtempSync(join(tmpdir(), 'flint-cli-home-'));
  await s3.send(new CreateBucketCommand({ Bucket: 'exports' }));
});

afterAll(async () => {
  dynamo.destroy();
  s3.destroy();
  await testNode.close();
  rmSync(home, { recursive: true, force: true });
});

const ITEMS: Record<string, AttributeValue>[] = [
  { pk: { S: 'a' }, sk: { N: '1' }, text: { S: 'héllo "quoted"' }, n: { N: '-12.5' }, big: { N: '1E+30' }, flag: { BOOL: true }, none: { NULL: true } },
  { pk: { S: 'a' }, sk: { N: '2' }, bin: { B: Buffer.from([0, 1, 2, 255]) }, tags: { SS: ['x', 'y'] }, nums: { NS: ['1', '2.5'] }, blobs: { BS: [Buffer.from('hi')] } },
  { pk: { S: 'b' }, sk: { N: '1' }, map: { M: { inner: { L: [{ S: 'one' }, { N: '2' }, { M: {} }] } } }, 'odd-name': { S: 'dash' } },
];

async function createTable(name: string): Promise<string> {
  const created = await dynamo.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  return created.TableDescription!.TableArn!;
}

async function filledTable(name: string): Promise<string> {
  const arn = await createTable(name);
  for (const item of ITEMS) await dynamo.send(new PutItemCommand({ TableName: name, Item: item }));
  return arn;
}

async function settledExport(arn: string): Promise<ExportDescription> {
  let description: ExportDescription | undefined;
  await expect.poll(async () => (description = (await dynamo.send(new DescribeExportCommand({ ExportArn: arn }))).ExportDescription)?.ExportStatus).not.toBe('IN_PROGRESS');
  return description!;
}

async function settledImport(arn: string): Promise<ImportTableDescription> {
  let description: ImportTableDescription | undefined;
  await expect.poll(async () => (description = (await dynamo.send(new DescribeImportCommand({ ImportArn: arn }))).ImportTableDescription)?.ImportStatus).not.toBe('IN_PROGRESS');
  return description!;
}

async function objectBytes(bucket: string, key: string): Promise<Buffer> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await object.Body!.transformToByteArray());
}

async function scanAll(table: string): Promise<Record<string, AttributeValue>[]> {
  const items = (await dynamo.send(new ScanCommand({ TableName: table }))).Items ?? [];
  return items.sort((a, b) => `${a.pk!.S}${a.sk!.N}`.localeCompare(`${b.pk!.S}${b.sk!.N}`));
}

describe('ExportTableToPointInTime', () => {
  it('writes the manifests and gzipped DynamoDB JSON data files into the bucket, and an import of them gives the items back', async () => {
    const tableArn = await filledTable('source');
    const started = (await dynamo.send(new ExportTableToPointInTimeCommand({ TableArn: tableArn, S3Bucket: 'exports', S3Prefix: 'backups' }))).ExportDescription!;
    // The call answers before the work is done: IN_PROGRESS, then COMPLETED in DescribeExport.
    expect(started).toMatchObject({ ExportStatus: 'IN_PROGRESS', TableArn: tableArn, S3Bucket: 'exports', S3Prefix: 'backups', ExportFormat: 'DYNAMODB_JSON', ExportType: 'FULL_EXPORT' });
    expect(started.ExportArn).toMatch(new RegExp(`^${tableArn}/export/\\d{14}-[0-9a-f]{8}$`));
    const exportId = started.ExportArn!.split('/').pop()!;

    const done = await settledExport(started.ExportArn!);
    const folder = `backups/AWSDynamoDB/${exportId}/`;
    expect(done).toMatchObject({ ExportStatus: 'COMPLETED', ItemCount: 3, ExportManifest: `${folder}manifest-summary.json` });
    expect(done.BilledSizeBytes).toBeGreaterThan(0);
    expect(done.EndTime!.getTime()).toBeGreaterThanOrEqual(done.StartTime!.getTime());

    const summary = JSON.parse((await objectBytes('exports', done.ExportManifest!)).toString('utf8'));
    expect(summary).toMatchObject({ version: '2020-06-30', exportArn: done.ExportArn, tableArn, itemCount: 3, outputFormat: 'DYNAMODB_JSON', exportType: 'FULL_EXPORT', s3Bucket: 'exports', manifestFilesS3Key: `${folder}manifest-files.json` });
    const manifestLines = (await objectBytes('exports', summary.manifestFilesS3Key)).toString('utf8').trim().split('\n');
    const exported: Record<string, AttributeValue>[] = [];
    for (const line of manifestLines) {
      const file = JSON.parse(line);
      expect(file.dataFileS3Key).toMatch(new RegExp(`^${folder}data/[a-z2-7]+\\.json\\.gz$`));
      const data = gunzipSync(await objectBytes('exports', file.dataFileS3Key)).toString('utf8').trim().split('\n');
      expect(data).toHaveLength(file.itemCount);
      for (const row of data) exported.push(JSON.parse(row).Item);
    }
    const asWire = (await scanAll('source')).map((item) => JSON.parse(JSON.stringify(item, (_, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v))));
    expect(exported.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual(asWire.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))));
    const keys = (await s3.send(new ListObjectsV2Command({ Bucket: 'exports', Prefix: folder }))).Contents!.map((o) => o.Key!.slice(folder.length));
    expect(keys).toEqual(expect.arrayContaining(['_started', 'manifest-files.json', 'manifest-files.md5', 'manifest-summary.json', 'manifest-summary.md5']));

    const imported = (
      await dynamo.send(
        new ImportTableCommand({
          S3BucketSource: { S3Bucket: 'exports', S3KeyPrefix: `${folder}data/` },
          InputFormat: 'DYNAMODB_JSON',
          InputCompressionType: 'GZIP',
          TableCreationParameters: {
            TableName: 'restored',
            KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
            AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
            BillingMode: 'PAY_PER_REQUEST',
          },
        }),
      )
    ).ImportTableDescription!;
    expect(imported).toMatchObject({ ImportStatus: 'IN_PROGRESS', InputFormat: 'DYNAMODB_JSON', InputCompressionType: 'GZIP' });
    expect(imported.ImportArn).toMatch(/^arn:aws:dynamodb:us-east-1:\d{12}:table\/restored\/import\/\d{14}-[0-9a-f]{8}$/);
    const loaded = await settledImport(imported.ImportArn!);
    expect(loaded).toMatchObject({ ImportStatus: 'COMPLETED', ProcessedItemCount: 3, ImportedItemCount: 3, ErrorCount: 0 });
    expect(await scanAll('restored')).toEqual(await scanAll('source'));
  });
});
