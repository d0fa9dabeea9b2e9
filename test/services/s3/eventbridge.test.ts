import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetBucketNotificationConfigurationCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientEnv } from '../../helpers/node.js';
import { AWS_CLI } from '../../helpers/clients.js';
import { ACCOUNT, EventBridgeHarness, REGION } from '../events/harness.js';

const run = promisify(execFile);

/**
 * S3 events on EventBridge (EventBridgeConfiguration), as LocalStack's recordings of AWS show them:
 * tests/aws/services/s3/test_s3_notifications_eventbridge.snapshot.json (test_object_created_put: "Object Created"
 * with size, etag, sequencer and reason "PutObject"; "Object Deleted" with key, sequencer, reason "DeleteObject" and
 * deletion-type "Permanently Deleted"), and https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html.
 */
type BusEvent = {
  version: string;
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown> & { object: Record<string, unknown>; bucket: { name: string } };
};

describe('S3 notifications to EventBridge', () => {
  let h: EventBridgeHarness;
  let s3: S3Client;

  /** A bus rule for one bucket's events of the given detail-types, delivering to a new queue; returns the queue. */
  async function ruleToQueue(bucket: string, detailTypes: string[]): Promise<string> {
    const queue = `q-${bucket}`;
    const arn = await h.queue(queue);
    const pattern = { source: ['aws.s3'], 'detail-type': detailTypes, detail: { bucket: { name: [bucket] } } };
    await h.events.send(new PutRuleCommand({ Name: `rule-${bucket}`, EventPattern: JSON.stringify(pattern) }));
    await h.events.send(new PutTargetsCommand({ Rule: `rule-${bucket}`, Targets: [{ Id: 'queue', Arn: arn }] }));
    return queue;
  }

  /** Polls the queue until `count` events arrived (deleting them as it goes); then checks nothing more comes. */
  async function drain(queue: string, count: number): Promise<BusEvent[]> {
    const got: BusEvent[] = [];
    await expect
      .poll(
        async () => {
          const out = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: `${h.url}/${ACCOUNT}/${queue}`, MaxNumberOfMessages: 10 }));
          for (const message of out.Messages ?? []) {
            got.push(JSON.parse(message.Body!) as BusEvent);
            await h.sqs.send(new DeleteMessageCommand({ QueueUrl: `${h.url}/${ACCOUNT}/${queue}`, ReceiptHandle: message.ReceiptHandle }));
          }
          return got.length;
        },
        { timeout: 10_000 },
      )
      .toBeGreaterThanOrEqual(count);
    return got;
  }

  async function bucketWithEventBridge(bucket: string): Promise<void> {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: bucket, NotificationConfiguration: { EventBridgeConfiguration: {} } }));
  }

  beforeAll(async () => {
    h = await EventBridgeHarness.start();
    s3 = new S3Client({ ...h.testNode.config, forcePathStyle: true });
  });
  afterAll(async () => {
    s3?.destroy();
    await h?.close();
  });

  it('puts Object Created events of PutObject, CopyObject and CompleteMultipartUpload on the default bus', async () => {
    await bucketWithEventBridge('eb-created');
    const queue = await ruleToQueue('eb-created', ['Object Created']);
    const put = await s3.send(new PutObjectCommand({ Bucket: 'eb-created', Key: 'photos/cat one.jpg', Body: 'meow' }));
    await s3.send(new CopyObjectCommand({ Bucket: 'eb-created', Key: 'copy.jpg', CopySource: 'eb-created/photos/cat%20one.jpg' }));
    const upload = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'eb-created', Key: 'big.bin' }));
    const part = await s3.send(new UploadPartCommand({ Bucket: 'eb-created', Key: 'big.bin', UploadId: upload.UploadId, PartNumber: 1, Body: 'only part' }));
    await s3.send(
      new CompleteMultipartUploadCommand({ Bucket: 'eb-created', Key: 'big.bin', UploadId: upload.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }),
    );
    // Deleting is not "Object Created": the rule does not pick it.
    await s3.send(new DeleteObjectCommand({ Bucket: 'eb-created', Key: 'copy.jpg' }));

    const events = await drain(queue, 3);
    expect(events.map((e) => e.detail.reason).sort()).toEqual(['CompleteMultipartUpload', 'CopyObject', 'PutObject']);
    const created = events.find((e) => e.detail.reason === 'PutObject')!;
    expect(created).toEqual({
      version: '0',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      'detail-type': 'Object Created',
      source: 'aws.s3',
      account: ACCOUNT,
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      region: REGION,
      resources: ['arn:aws:s3:::eb-created'],
      detail: {
        version: '0',
        bucket: { name: 'eb-created' },
        // Keys are given as they are (records URL-encode them; the bus events do not).
        object: { key: 'photos/cat one.jpg', size: 4, etag: put.ETag!.replace(/"/g, ''), sequencer: expect.stringMatching(/^[0-9A-F]{18}$/) },
        'request-id': expect.any(String),
        requester: ACCOUNT,
        'source-ip-address': expect.any(String),
        reason: 'PutObject',
      },
    });
    const multipart = events.find((e) => e.detail.reason === 'CompleteMultipartUpload')!;
    expect(multipart.detail.object).toMatchObject({ key: 'big.bin', size: 9, etag: expect.stringMatching(/-1$/) });
    expect(events.every((e) => e['detail-type'] === 'Object Created')).toBe(true);
  });

  it('puts Object Deleted events with their deletion-type, and version ids in a versioned bucket', async () => {
    await bucketWithEventBridge('eb-deleted');
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'eb-deleted', VersioningConfiguration: { Status: 'Enabled' } }));
    const queue = await ruleToQueue('eb-deleted', ['Object Deleted']);
    const put = await s3.send(new PutObjectCommand({ Bucket: 'eb-deleted', Key: 'doc.txt', Body: 'v1' }));
    const marker = await s3.send(new DeleteObjectCommand({ Bucket: 'eb-deleted', Key: 'doc.txt' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'eb-deleted', Key: 'doc.txt', VersionId: put.VersionId }));

    const events = await drain(queue, 2);
    const byType = Object.fromEntries(events.map((e) => [e.detail['deletion-type'] as string, e.detail]));
    expect(byType['Delete Marker Created']).toEqual({
      version: '0',
      bucket: { name: 'eb-deleted' },
      object: { key: 'doc.txt', 'version-id': marker.VersionId, sequencer: expect.any(String) },
      'request-id': expect.any(String),
      requester: ACCOUNT,
      'source-ip-address': expect.any(String),
      reason: 'DeleteObject',
      'deletion-type': 'Delete Marker Created',
    });
    expect(byType['Permanently Deleted']).toMatchObject({ object: { key: 'doc.txt', 'version-id': put.VersionId }, reason: 'DeleteObject' });
  });

  it('sends nothing for a bucket without EventBridgeConfiguration', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'eb-quiet' }));
    const queue = await ruleToQueue('eb-quiet', ['Object Created', 'Object Deleted']);
    // A bucket that does send, written after the quiet one, shows when the quiet one's events would have arrived.
    await bucketWithEventBridge('eb-loud');
    const loud = await h.queue('q-eb-loud-all');
    const pattern = { source: ['aws.s3'], detail: { bucket: { name: ['eb-quiet', 'eb-loud'] } } };
    await h.events.send(new PutRuleCommand({ Name: 'rule-both', EventPattern: JSON.stringify(pattern) }));
    await h.events.send(new PutTargetsCommand({ Rule: 'rule-both', Targets: [{ Id: 'queue', Arn: loud }] }));

    await s3.send(new PutObjectCommand({ Bucket: 'eb-quiet', Key: 'a', Body: 'x' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'eb-quiet', Key: 'a' }));
    await s3.send(new PutObjectCommand({ Bucket: 'eb-loud', Key: 'b', Body: 'y' }));

    const both = await drain('q-eb-loud-all', 1);
    expect(both.map((e) => e.detail.bucket.name)).toEqual(['eb-loud']);
    expect(await h.receive(queue)).toEqual([]);
  });

  it('takes the configuration from the AWS CLI and sends what it says', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'eb-cli' }));
    const env = clientEnv(h.testNode.node);
    await run(AWS_CLI, ['s3api', 'put-bucket-notification-configuration', '--endpoint-url', h.url, '--bucket', 'eb-cli', '--notification-configuration', '{"EventBridgeConfiguration": {}}'], { env });
    const got = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: 'eb-cli' }));
    expect(got.EventBridgeConfiguration).toEqual({});

    const queue = await ruleToQueue('eb-cli', ['Object Created']);
    await run(AWS_CLI, ['s3api', 'put-object', '--endpoint-url', h.url, '--bucket', 'eb-cli', '--key', 'from-cli.txt'], { env });
    const [event] = await drain(queue, 1);
    expect(event!.detail).toMatchObject({ bucket: { name: 'eb-cli' }, object: { key: 'from-cli.txt', size: 0 }, reason: 'PutObject' });
  }, 60_000); // two runs of the Python CLI
});
