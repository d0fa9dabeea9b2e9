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
  ExportConflictException,
  ExportNotFoundException,
  ExportTableToPointInTimeCommand,
  ImportNotFoundException,
  InvalidExportTimeException,
  ListExportsCommand,
  ListImportsCommand,
  ListTablesCommand,
  ResourceInUseException,
  TableNotFoundException,
  ImportTableCommand,
  PutItemCommand,
  ScanCommand,
  type AttributeValue,
  type ExportDescription,
  type ImportTableDescription,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
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

const KEYED = {
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }, { AttributeName: 'sk', KeyType: 'RANGE' as const }],
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' as const }, { AttributeName: 'sk', AttributeType: 'N' as const }],
  BillingMode: 'PAY_PER_REQUEST' as const,
};

describe('ExportTableToPointInTime in Ion', () => {
  it('writes each item as an Ion text line: decimals for numbers, blobs for binary, annotated lists for sets', async () => {
    const tableArn = await filledTable('ion-source');
    const started = (await dynamo.send(new ExportTableToPointInTimeCommand({ TableArn: tableArn, S3Bucket: 'exports', ExportFormat: 'ION' }))).ExportDescription!;
    const done = await settledExport(started.ExportArn!);
    expect(done).toMatchObject({ ExportStatus: 'COMPLETED', ExportFormat: 'ION', ItemCount: 3 });
    expect(done.ExportManifest).toMatch(/^AWSDynamoDB\/\d{14}-[0-9a-f]{8}\/manifest-summary\.json$/);
    const summary = JSON.parse((await objectBytes('exports', done.ExportManifest!)).toString('utf8'));
    expect(summary.outputFormat).toBe('ION');
    const file = JSON.parse((await objectBytes('exports', summary.manifestFilesS3Key)).toString('utf8').trim());
    expect(file.dataFileS3Key).toMatch(/\.ion\.gz$/);
    const lines = gunzipSync(await objectBytes('exports', file.dataFileS3Key)).toString('utf8').trim().split('\n').sort();
    // As the export-format page shows it: $ion_1_0 {Item:{Authors:$dynamodb_SS::["Author1","Author2"],...,Id:103.,...}}
    // (1E+30 is stored as DynamoDB normalises it, so it is written without an exponent.)
    expect(lines).toEqual([
      '$ion_1_0 {Item:{pk:"a",sk:2.,bin:{{AAEC/w==}},tags:$dynamodb_SS::["x","y"],nums:$dynamodb_NS::[1.,2.5],blobs:$dynamodb_BS::[{{aGk=}}]}}',
      '$ion_1_0 {Item:{pk:"a",sk:1.,text:"héllo \\"quoted\\"",n:-12.5,big:1000000000000000000000000000000.,flag:true,none:null}}',
      '$ion_1_0 {Item:{pk:"b",sk:1.,map:{inner:["one",2.,{}]},\'odd-name\':"dash"}}',
    ].sort());

    // The export imported back (InputFormat ION) gives the same items.
    const folder = done.ExportManifest!.replace('manifest-summary.json', 'data/');
    const imported = (await dynamo.send(new ImportTableCommand({ S3BucketSource: { S3Bucket: 'exports', S3KeyPrefix: folder }, InputFormat: 'ION', InputCompressionType: 'GZIP', TableCreationParameters: { TableName: 'ion-restored', ...KEYED } }))).ImportTableDescription!;
    expect(await settledImport(imported.ImportArn!)).toMatchObject({ ImportStatus: 'COMPLETED', InputFormat: 'ION', ImportedItemCount: 3, ErrorCount: 0 });
    expect(await scanAll('ion-restored')).toEqual(await scanAll('ion-source'));
  });

  it('imports Ion written by hand: comments, quoted names, integers, exponents, typed nulls; a line that is not an item is an error', async () => {
    const lines = [
      '$ion_1_0 {Item:{pk:"h", sk:1, /* a comment */ \'with space\': \'sym\', "str name": 2.5d2, hex: 0x1F, gone: null.string, ok: true}} // trailing',
      '{Item:{pk:"h", sk:2., s:$dynamodb_NS::[1, 2d0], l:[{{aGk=}}]}}',
      '{Item:{pk:"h", sk:3., bad:(sexp)}}',
      '{NotItem:{pk:"h", sk:4.}}',
    ];
    await s3.send(new PutObjectCommand({ Bucket: 'exports', Key: 'ion/by-hand.ion', Body: lines.join('\n') }));
    const started = (await dynamo.send(new ImportTableCommand({ S3BucketSource: { S3Bucket: 'exports', S3KeyPrefix: 'ion/' }, InputFormat: 'ION', TableCreationParameters: { TableName: 'ion-by-hand', ...KEYED } }))).ImportTableDescription!;
    expect(await settledImport(started.ImportArn!)).toMatchObject({ ImportStatus: 'COMPLETED', ProcessedItemCount: 4, ImportedItemCount: 2, ErrorCount: 2 });
    const items = await scanAll('ion-by-hand');
    expect(items[0]).toEqual({ pk: { S: 'h' }, sk: { N: '1' }, 'with space': { S: 'sym' }, 'str name': { N: '250' }, hex: { N: '31' }, gone: { NULL: true }, ok: { BOOL: true } });
    expect(items[1]).toMatchObject({ pk: { S: 'h' }, sk: { N: '2' }, s: { NS: expect.arrayContaining(['1', '2']) } });
    expect(Buffer.from(items[1]!.l!.L![0]!.B!).toString()).toBe('hi');
  });
});

describe('ImportTable from CSV', () => {
  it('types key columns by their AttributeDefinitions, keeps other values as strings and counts bad records in ErrorCount', async () => {
    const csv = 'pk,sk,city,note\nu1,1,Paris,"says ""hi"", twice"\nu1,2,Oslo,\n,3,Nowhere,no key\nu2,notanumber,Rome,bad key\n';
    await s3.send(new PutObjectCommand({ Bucket: 'exports', Key: 'csv/one.csv', Body: csv }));
    await s3.send(new PutObjectCommand({ Bucket: 'exports', Key: 'csv/two.csv', Body: 'u3;7;Lima\n' }));
    const first = (await dynamo.send(new ImportTableCommand({ S3BucketSource: { S3Bucket: 'exports', S3KeyPrefix: 'csv/one' }, InputFormat: 'CSV', TableCreationParameters: { TableName: 'from-csv', ...KEYED } }))).ImportTableDescription!;
    expect(await settledImport(first.ImportArn!)).toMatchObject({ ImportStatus: 'COMPLETED', ProcessedItemCount: 4, ImportedItemCount: 2, ErrorCount: 2, InputCompressionType: 'NONE' });
    expect(await scanAll('from-csv')).toEqual([
      { pk: { S: 'u1' }, sk: { N: '1' }, city: { S: 'Paris' }, note: { S: 'says "hi", twice' } },
      { pk: { S: 'u1' }, sk: { N: '2' }, city: { S: 'Oslo' } },
    ]);

    const second = (
      await dynamo.send(
        new ImportTableCommand({
          S3BucketSource: { S3Bucket: 'exports', S3KeyPrefix: 'csv/two' },
          InputFormat: 'CSV',
          InputFormatOptions: { Csv: { Delimiter: ';', HeaderList: ['pk', 'sk', 'city'] } },
          TableCreationParameters: { TableName: 'from-csv-headers', ...KEYED },
        }),
      )
    ).ImportTableDescription!;
    expect(await settledImport(second.ImportArn!)).toMatchObject({ ImportStatus: 'COMPLETED', ImportedItemCount: 1, ErrorCount: 0, InputFormatOptions: { Csv: { Delimiter: ';', HeaderList: ['pk', 'sk', 'city'] } } });
    expect(await scanAll('from-csv-headers')).toEqual([{ pk: { S: 'u3' }, sk: { N: '7' }, city: { S: 'Lima' } }]);
  });
});

describe('export and import errors', () => {
  it('names a missing table, export and import with their own exceptions', async () => {
    const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/absent';
    await expect(dynamo.send(new ExportTableToPointInTimeCommand({ TableArn: arn, S3Bucket: 'exports' }))).rejects.toBeInstanceOf(TableNotFoundException);
    await expect(dynamo.send(new DescribeExportCommand({ ExportArn: `${arn}/export/01234567890123-a1b2c3d4` }))).rejects.toBeInstanceOf(ExportNotFoundException);
    await expect(dynamo.send(new DescribeImportCommand({ ImportArn: `${arn}/import/01234567890123-a1b2c3d4` }))).rejects.toBeInstanceOf(ImportNotFoundException);
  });

  it('refuses an export time in the future with InvalidExportTimeException', async () => {
    const tableArn = await createTable('future');
    const later = new Date(Date.now() + 3600_000);
    await expect(dynamo.send(new ExportTableToPointInTimeCommand({ TableArn: tableArn, S3Bucket: 'exports', ExportTime: later }))).rejects.toBeInstanceOf(InvalidExportTimeException);
  });

  it('answers a repeated ClientToken with the same export, and the token with other parameters with ExportConflictException', async () => {
    const tableArn = await createTable('tokens');
    const send = (prefix: string) => dynamo.send(new ExportTableToPointInTimeCommand({ TableArn: tableArn, S3Bucket: 'exports', S3Prefix: prefix, ClientToken: 'token-1' }));
    const first = (await send('p')).ExportDescription!;
    const again = (await send('p')).ExportDescription!;
    expect(again.ExportArn).toBe(first.ExportArn);
    await expect(send('other')).rejects.toBeInstanceOf(ExportConflictException);
  });

  it('fails an export to a bucket that does not exist, with the S3 error in FailureCode and FailureMessage', async () => {
    const tableArn = await createTable('no-bucket');
    const started = (await dynamo.send(new ExportTableToPointInTimeCommand({ TableArn: tableArn, S3Bucket: 'missing-bucket' }))).ExportDescription!;
    const done = await settledExport(started.ExportArn!);
    expect(done).toMatchObject({ ExportStatus: 'FAILED', FailureCode: 'S3NoSuchBucket' });
    expect(done.FailureMessage).toContain('NoSuchBucket');
  });

  it('refuses an import into a table that exists with ResourceInUseException, and ZSTD input with ValidationException', async () => {
    await createTable('taken');
    const request = (table: string, compression: 'ZSTD' | 'NONE') =>
      new ImportTableCommand({ S3BucketSource: { S3Bucket: 'exports' }, InputFormat: 'DYNAMODB_JSON', InputCompressionType: compression, TableCreationParameters: { TableName: table, ...KEYED } });
    await expect(dynamo.send(request('taken', 'NONE'))).rejects.toBeInstanceOf(ResourceInUseException);
    await expect(dynamo.send(request('zstd', 'ZSTD'))).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('fails an import from a bucket that does not exist and removes the table it created', async () => {
    const started = (await dynamo.send(new ImportTableCommand({ S3BucketSource: { S3Bucket: 'missing-bucket' }, InputFormat: 'DYNAMODB_JSON', TableCreationParameters: { TableName: 'never', ...KEYED } }))).ImportTableDescription!;
    expect(await settledImport(started.ImportArn!)).toMatchObject({ ImportStatus: 'FAILED', FailureCode: 'S3NoSuchBucket' });
    expect((await dynamo.send(new ListTablesCommand({}))).TableNames).not.toContain('never');
  });
});

describe('ListExports and ListImports', () => {
  it('page with MaxResults/PageSize and NextToken, and filter by TableArn', async () => {
    const tableArn = await createTable('listed');
    for (const prefix of ['one', 'two', 'three']) await dynamo.send(new ExportTableToPointInTimeCommand({ TableArn: tableArn, S3Bucket: 'exports', S3Prefix: prefix }));
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await dynamo.send(new ListExportsCommand({ TableArn: tableArn, MaxResults: 2, NextToken: token }));
      expect(page.ExportSummaries!.length).toBeLessThanOrEqual(2);
      for (const summary of page.ExportSummaries!) {
        expect(summary).toMatchObject({ ExportType: 'FULL_EXPORT' });
        seen.push(summary.ExportArn!);
      }
      token = page.NextToken;
    } while (token);
    expect(seen).toHaveLength(3);
    expect(seen.every((arn) => arn.startsWith(`${tableArn}/export/`))).toBe(true);

    const imports = await dynamo.send(new ListImportsCommand({ TableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/from-csv', PageSize: 1 }));
    expect(imports.ImportSummaryList).toHaveLength(1);
    expect(imports.ImportSummaryList![0]).toMatchObject({ ImportStatus: 'COMPLETED', InputFormat: 'CSV', S3BucketSource: { S3Bucket: 'exports', S3KeyPrefix: 'csv/one' } });
  });
});

describe('the AWS CLI', () => {
  it('exports a table and describes the export (aws dynamodb export-table-to-point-in-time, describe-export)', async () => {
    const tableArn = await filledTable('cli-source');
    const cli = async (...args: string[]) => JSON.parse((await execFileAsync(AWS_CLI, ['--endpoint-url', testNode.node.url, 'dynamodb', ...args], { env: { ...clientEnv(testNode.node), HOME: home } })).stdout);
    const started = await cli('export-table-to-point-in-time', '--table-arn', tableArn, '--s3-bucket', 'exports', '--s3-prefix', 'cli');
    expect(started.ExportDescription).toMatchObject({ ExportStatus: 'IN_PROGRESS', S3Bucket: 'exports', S3Prefix: 'cli' });
    const arn: string = started.ExportDescription.ExportArn;
    await settledExport(arn);
    const described = await cli('describe-export', '--export-arn', arn);
    expect(described.ExportDescription).toMatchObject({ ExportArn: arn, ExportStatus: 'COMPLETED', ItemCount: 3, ExportFormat: 'DYNAMODB_JSON' });
  });
});
