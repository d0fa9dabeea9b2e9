import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/index.js';
import { DynamoDbService } from '../../../src/services/dynamodb/index.js';
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
});
