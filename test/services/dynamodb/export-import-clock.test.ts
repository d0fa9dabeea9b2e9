import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/index.js';
import { DynamoDbService } from '../../../src/services/dynamodb/index.js';
import { writeObject } from '../../../src/services/dynamodb/transfer/s3-objects.js';
import { useDynamo } from './helpers.js';

/**
 * Exports and imports run on the node's clock after the call answers: DescribeExport and DescribeImport show
 * IN_PROGRESS until the clock lets the work run, and work a stopped service left IN_PROGRESS runs when a service
 * starts again on the same storage.
 */

const db = useDynamo();
const TABLE_ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/things';

async function exportStatus(arn: string): Promise<string> {
  return (await db.ok('DescribeExport', { ExportArn: arn })).ExportDescription.ExportStatus;
}

describe('export and import timing', () => {
  it('shows IN_PROGRESS until the clock runs the work, then COMPLETED', async () => {
    await db.storage.objects.createBucket('bucket', 'us-east-1');
    await db.table('things');
    await db.ok('PutItem', { TableName: 'things', Item: { pk: { S: 'one' } } });
    const { ExportDescription: started } = await db.ok('ExportTableToPointInTime', { TableArn: TABLE_ARN, S3Bucket: 'bucket' });
    expect(started.ExportStatus).toBe('IN_PROGRESS');
    expect(await exportStatus(started.ExportArn)).toBe('IN_PROGRESS');
    await db.clock.advance(1);
    await expect.poll(() => exportStatus(started.ExportArn)).toBe('COMPLETED');
    expect((await db.ok('DescribeExport', { ExportArn: started.ExportArn })).ExportDescription).toMatchObject({ ItemCount: 1, EndTime: expect.any(Number) });

    const folder = started.ExportArn.replace(/^.*\/export\//, 'AWSDynamoDB/');
    const { ImportTableDescription: imported } = await db.ok('ImportTable', {
      S3BucketSource: { S3Bucket: 'bucket', S3KeyPrefix: `${folder}/data/` },
      InputFormat: 'DYNAMODB_JSON',
      InputCompressionType: 'GZIP',
      TableCreationParameters: { TableName: 'copy', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' },
    });
    const importStatus = async () => (await db.ok('DescribeImport', { ImportArn: imported.ImportArn })).ImportTableDescription.ImportStatus;
    expect(await importStatus()).toBe('IN_PROGRESS');
    await db.clock.advance(1);
    await expect.poll(importStatus).toBe('COMPLETED');
    expect((await db.ok('GetItem', { TableName: 'copy', Key: { pk: { S: 'one' } } })).Item).toEqual({ pk: { S: 'one' } });
  });

  it('runs an export that a stopped service left IN_PROGRESS when a service starts on the same storage', async () => {
    await db.storage.objects.createBucket('bucket', 'us-east-1');
    await db.table('things');
    const { ExportDescription: started } = await db.ok('ExportTableToPointInTime', { TableArn: TABLE_ARN, S3Bucket: 'bucket', S3Prefix: 'again' });
    await db.service.close();
    const restarted = new DynamoDbService(db.storage.tables, { region: 'us-east-1', accountId: '000000000000', clock: db.clock, logger: silentLogger, transfers: { objects: db.storage.objects, metadata: db.storage.metadata } });
    try {
      restarted.start();
      await db.clock.advance(1);
      await expect.poll(async () => (await db.storage.metadata.get<{ status: string }>('dynamodb.exports', started.ExportArn))?.value.status).toBe('COMPLETED');
      const listed = await db.storage.objects.listObjects('bucket', { prefix: 'again/AWSDynamoDB/', limit: 100 });
      expect(listed.objects.map((o) => o.key.split('/').pop())).toEqual(expect.arrayContaining(['_started', 'manifest-files.json', 'manifest-summary.json']));
    } finally {
      await restarted.close();
    }
  });

  it('loads many lines in batches, a later line with the same key replacing an earlier one', async () => {
    await db.storage.objects.createBucket('bucket', 'us-east-1');
    const lines = Array.from({ length: 250 }, (_, i) => JSON.stringify({ Item: { pk: { S: `k${i % 200}` }, v: { N: String(i) } } }));
    lines.splice(10, 0, '{"Item":{"v":{"N":"1"}}}', 'not json');
    await writeObject(db.storage.objects, 'bucket', 'many/items.json', Buffer.from(lines.join('\n')));
    const { ImportTableDescription: started } = await db.ok('ImportTable', {
      S3BucketSource: { S3Bucket: 'bucket', S3KeyPrefix: 'many/' },
      InputFormat: 'DYNAMODB_JSON',
      TableCreationParameters: { TableName: 'many', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' },
    });
    await db.clock.advance(1);
    const described = async () => (await db.ok('DescribeImport', { ImportArn: started.ImportArn })).ImportTableDescription;
    await expect.poll(async () => (await described()).ImportStatus).toBe('COMPLETED');
    expect(await described()).toMatchObject({ ProcessedItemCount: 252, ImportedItemCount: 250, ErrorCount: 2 });
    expect((await db.ok('DescribeTable', { TableName: 'many' })).Table.ItemCount).toBe(200);
    expect((await db.ok('GetItem', { TableName: 'many', Key: { pk: { S: 'k5' } } })).Item.v).toEqual({ N: '205' });
    expect((await db.ok('GetItem', { TableName: 'many', Key: { pk: { S: 'k150' } } })).Item.v).toEqual({ N: '150' });
  });
});
