import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketNotificationConfigurationCommand,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  type NotificationConfiguration,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { S3EventRecord, S3NotificationEvent } from '../../../src/services/s3/index.js';
import { FakeClock } from '../../../src/core/index.js';
import { s3Failure, startS3Unit, type S3Unit } from './harness.js';

const FUNCTION = 'arn:aws:lambda:us-east-1:000000000000:function:on-upload';
const QUEUE = 'arn:aws:sqs:us-east-1:000000000000:uploads';
const TOPIC = 'arn:aws:sns:us-east-1:000000000000:uploads';

/** The record of aws/events/powertools/s3Event.json (aws-powertools, MIT-0): the shape every record must have. */
const SAMPLE_RECORD = {
  eventVersion: '2.1',
  eventSource: 'aws:s3',
  awsRegion: 'us-east-2',
  eventTime: '2019-09-03T19:37:27.192Z',
  eventName: 'ObjectCreated:Put',
  userIdentity: { principalId: 'AWS:AIDAINPONIXQXHT3IKHL2' },
  requestParameters: { sourceIPAddress: '205.255.255.255' },
  responseElements: { 'x-amz-request-id': 'D82B88E5F771F645', 'x-amz-id-2': 'vlR7PnpV2Ce81l0PRw6jlUpck7Jo5ZsQjryTjKlc5aLWGVHPZLj5NeC6qMa0emYBDXOo6QBU0Wo=' },
  s3: {
    s3SchemaVersion: '1.0',
    configurationId: '828aa6fc-f7b5-4305-8584-487c791949c1',
    bucket: { name: 'lambda-artifacts-deafc19498e3f2df', ownerIdentity: { principalId: 'A3I5XTEXAMAI3E' }, arn: 'arn:aws:s3:::lambda-artifacts-deafc19498e3f2df' },
    object: { key: 'b21b84d653bb07b05b1e6b33684dc11b', size: 1305107, eTag: 'b21b84d653bb07b05b1e6b33684dc11b', sequencer: '0C0F6F405D6ED209E1' },
  },
};

/** Every path to a leaf, with the leaf's type: two values have the same shape when these match. */
function shape(value: unknown, path = ''): string[] {
  if (value === null || typeof value !== 'object') return [`${path}:${typeof value}`];
  return Object.entries(value).flatMap(([key, inner]) => shape(inner, `${path}.${key}`));
}

describe('S3 bucket notifications', () => {
  let node: S3Unit;
  let s3: S3Client;
  const configure = (NotificationConfiguration: NotificationConfiguration, Bucket = 'events') =>
    s3.send(new PutBucketNotificationConfigurationCommand({ Bucket, NotificationConfiguration }));
  const records = (): S3EventRecord[] => node.sink.delivered.flatMap(({ event }) => ('Records' in event ? event.Records : []));

  beforeAll(async () => {
    node = await startS3Unit();
    s3 = node.client();
    for (const Bucket of ['events', 'config']) await s3.send(new CreateBucketCommand({ Bucket }));
  });
  beforeEach(() => {
    node.sink.delivered.length = 0;
    node.sink.fail = false;
    node.sink.refuse = undefined;
  });
  afterAll(async () => node?.close());

  describe('configuration', () => {
    it('stores Lambda, queue and topic configurations and returns them as S3 does', async () => {
      await configure(
        {
          LambdaFunctionConfigurations: [
            { Id: 'images', LambdaFunctionArn: FUNCTION, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'img/' }, { Name: 'suffix', Value: '.jpg' }] } } },
          ],
          QueueConfigurations: [{ QueueArn: QUEUE, Events: ['s3:ObjectRemoved:*'] }],
          TopicConfigurations: [{ Id: 'docs', TopicArn: TOPIC, Events: ['s3:ObjectCreated:Put'], Filter: { Key: { FilterRules: [{ Name: 'Prefix' as 'prefix', Value: 'docs/' }] } } }],
        },
        'config',
      );
      const got = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: 'config' }));
      expect(got.LambdaFunctionConfigurations).toEqual([
        { Id: 'images', LambdaFunctionArn: FUNCTION, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'Prefix', Value: 'img/' }, { Name: 'Suffix', Value: '.jpg' }] } } },
      ]);
      expect(got.QueueConfigurations?.[0]).toMatchObject({ QueueArn: QUEUE, Events: ['s3:ObjectRemoved:*'] });
      expect(got.QueueConfigurations?.[0]?.Id).toMatch(/^[A-Za-z0-9+/=]{40,}$/);
      expect(got.TopicConfigurations?.[0]).toMatchObject({ Id: 'docs', TopicArn: TOPIC });
      const announced = node.sink.delivered.map(({ target, event }) => [target.kind, 'Event' in event ? event.Event : 'record']);
      expect(announced.sort()).toEqual([
        ['queue', 's3:TestEvent'],
        ['topic', 's3:TestEvent'],
      ]);
      await configure({}, 'config');
      const cleared = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: 'config' }));
      expect([cleared.LambdaFunctionConfigurations, cleared.QueueConfigurations, cleared.TopicConfigurations]).toEqual([undefined, undefined, undefined]);
    });

    it('validates events, ARNs, regions and filters as S3 does', async () => {
      const cases: [NotificationConfiguration, string][] = [
        [{ LambdaFunctionConfigurations: [{ LambdaFunctionArn: FUNCTION, Events: ['s3:ObjectCreated:Rename' as 's3:ObjectCreated:*'] }] }, 'The event is not supported for notifications'],
        [{ LambdaFunctionConfigurations: [{ LambdaFunctionArn: 'not-an-arn', Events: ['s3:ObjectCreated:*'] }] }, 'The ARN could not be parsed'],
        [{ LambdaFunctionConfigurations: [{ LambdaFunctionArn: QUEUE, Events: ['s3:ObjectCreated:*'] }] }, 'The ARN is not well formed'],
        [
          { QueueConfigurations: [{ QueueArn: 'arn:aws:sqs:eu-west-1:000000000000:q', Events: ['s3:ObjectCreated:*'] }] },
          'The notification destination service region is not valid for the bucket location constraint',
        ],
        [{ QueueConfigurations: [{ QueueArn: 'arn:aws:sqs:us-east-1:000000000000:q.fifo', Events: ['s3:ObjectCreated:*'] }] }, 'FIFO SQS queues are not supported.'],
        [
          { LambdaFunctionConfigurations: [{ LambdaFunctionArn: FUNCTION, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'middle' as 'prefix', Value: 'x' }] } } }] },
          'filter rule name must be either prefix or suffix',
        ],
        [
          {
            LambdaFunctionConfigurations: [
              { LambdaFunctionArn: FUNCTION, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'a' }, { Name: 'prefix', Value: 'b' }] } } },
            ],
          },
          'Cannot specify more than one prefix rule in a filter.',
        ],
        [
          {
            LambdaFunctionConfigurations: [
              { LambdaFunctionArn: FUNCTION, Events: ['s3:ObjectCreated:*'] },
              { LambdaFunctionArn: FUNCTION, Events: ['s3:ObjectCreated:Put'] },
            ],
          },
          'Configurations overlap. Configurations on the same bucket cannot share a common event type.',
        ],
        [
          {
            LambdaFunctionConfigurations: [
              { LambdaFunctionArn: FUNCTION, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'a/' }] } } },
              { LambdaFunctionArn: FUNCTION, Events: ['s3:ObjectCreated:Copy'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'a/b/' }] } } },
            ],
          },
          'Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type.',
        ],
        [
          {
            LambdaFunctionConfigurations: [
              { Id: 'same', LambdaFunctionArn: FUNCTION, Events: ['s3:ObjectCreated:*'] },
              { Id: 'same', LambdaFunctionArn: FUNCTION, Events: ['s3:ObjectRemoved:*'] },
            ],
          },
          'Same ID used for multiple configurations. IDs must be unique.',
        ],
      ];
      for (const [config, message] of cases) {
        const error = await s3Failure(configure(config, 'config'));
        expect([error.name, error.message, error.$metadata.httpStatusCode]).toEqual(['InvalidArgument', message, 400]);
      }
      await configure(
        {
          LambdaFunctionConfigurations: [
            { LambdaFunctionArn: FUNCTION, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'suffix', Value: '.png' }] } } },
            { LambdaFunctionArn: FUNCTION, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'suffix', Value: '.jpg' }] } } },
          ],
        },
        'config',
      );
    });

    it('refuses destinations the platform cannot deliver to', async () => {
      node.sink.refuse = 'Not authorized to invoke function';
      const error = await s3Failure(configure({ LambdaFunctionConfigurations: [{ LambdaFunctionArn: FUNCTION, Events: ['s3:ObjectCreated:*'] }] }, 'config'));
      node.sink.refuse = undefined;
      expect([error.name, error.message]).toEqual(['InvalidArgument', 'Unable to validate the following destination configurations']);
    });
  });

  describe('events', () => {
    beforeAll(async () => {
      await configure({
        LambdaFunctionConfigurations: [
          { Id: 'created', LambdaFunctionArn: FUNCTION, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'in/' }] } } },
          { Id: 'removed', LambdaFunctionArn: FUNCTION, Events: ['s3:ObjectRemoved:Delete'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'in/' }] } } },
        ],
        QueueConfigurations: [
          {
            Id: 'reports',
            QueueArn: QUEUE,
            Events: ['s3:ObjectCreated:Put'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'reports/' }, { Name: 'suffix', Value: '.csv' }] } },
          },
        ],
      });
    });

    it('hands a record shaped like Lambda’s S3 event to the sink before PutObject returns', async () => {
      const put = await s3.send(new PutObjectCommand({ Bucket: 'events', Key: 'in/my file+1.txt', Body: 'hello' }));
      expect(node.sink.delivered).toHaveLength(1);
      const { target, event } = node.sink.delivered[0]!;
      expect(target).toEqual({ kind: 'function', arn: FUNCTION });
      const record = (event as Extract<S3NotificationEvent, { Records: unknown }>).Records[0]!;
      expect(shape(record).sort()).toEqual(shape(SAMPLE_RECORD).sort());
      expect(record).toMatchObject({
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'AWS:test' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'created',
          bucket: { name: 'events', arn: 'arn:aws:s3:::events' },
          object: { key: 'in/my+file%2B1.txt', size: 5, eTag: put.ETag?.replaceAll('"', '') },
        },
      });
      expect(record.eventTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(record.s3.object.sequencer).toMatch(/^[0-9A-F]{18}$/);
      expect(record.s3.bucket.ownerIdentity.principalId).toMatch(/^A[0-9A-F]{13}$/);
      expect(record.responseElements['x-amz-request-id']).toBe(put.$metadata.requestId);
    });

    it('names the event after the operation and filters by event type, prefix and suffix', async () => {
      await s3.send(new PutObjectCommand({ Bucket: 'events', Key: 'out/skipped.txt', Body: 'x' }));
      await s3.send(new PutObjectCommand({ Bucket: 'events', Key: 'in/report.csv', Body: 'a,b' }));
      await s3.send(new PutObjectCommand({ Bucket: 'events', Key: 'reports/q1.csv', Body: 'c,d' }));
      await s3.send(new PutObjectCommand({ Bucket: 'events', Key: 'reports/q1.txt', Body: 'e' }));
      await s3.send(new CopyObjectCommand({ Bucket: 'events', Key: 'in/copy.csv', CopySource: 'events/in/report.csv' }));
      const upload = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'events', Key: 'in/multi.bin' }));
      const part = await s3.send(new UploadPartCommand({ Bucket: 'events', Key: 'in/multi.bin', UploadId: upload.UploadId, PartNumber: 1, Body: 'part' }));
      await s3.send(
        new CompleteMultipartUploadCommand({ Bucket: 'events', Key: 'in/multi.bin', UploadId: upload.UploadId, MultipartUpload: { Parts: [{ ETag: part.ETag, PartNumber: 1 }] } }),
      );
      await s3.send(new DeleteObjectCommand({ Bucket: 'events', Key: 'in/copy.csv' }));
      await s3.send(new DeleteObjectCommand({ Bucket: 'events', Key: 'in/never-existed' }));
      await s3.send(new DeleteObjectsCommand({ Bucket: 'events', Delete: { Objects: [{ Key: 'in/report.csv' }, { Key: 'out/skipped.txt' }] } }));
      const seen = node.sink.delivered.map(({ target, event }) => {
        const record = (event as { Records: S3EventRecord[] }).Records[0]!;
        return [target.kind, record.s3.configurationId, record.eventName, record.s3.object.key];
      });
      expect(seen).toEqual([
        ['function', 'created', 'ObjectCreated:Put', 'in/report.csv'],
        ['queue', 'reports', 'ObjectCreated:Put', 'reports/q1.csv'],
        ['function', 'created', 'ObjectCreated:Copy', 'in/copy.csv'],
        ['function', 'created', 'ObjectCreated:CompleteMultipartUpload', 'in/multi.bin'],
        ['function', 'removed', 'ObjectRemoved:Delete', 'in/copy.csv'],
        ['function', 'removed', 'ObjectRemoved:Delete', 'in/report.csv'],
      ]);
      const removed = records().find((r) => r.eventName === 'ObjectRemoved:Delete')!;
      expect(removed.s3.object).toEqual({ key: 'in/copy.csv', sequencer: expect.stringMatching(/^[0-9A-F]{18}$/) });
      const sequencers = records().map((r) => r.s3.object.sequencer);
      expect([...sequencers].sort()).toEqual(sequencers);
      const multi = records().find((r) => r.eventName === 'ObjectCreated:CompleteMultipartUpload')!;
      expect(multi.s3.object.eTag).toMatch(/^[0-9a-f]{32}-1$/);
    });

  });
});

describe('S3 notifications committed with their write (an outbox)', () => {
  const clock = new FakeClock();
  let unit: S3Unit;
  let s3: S3Client;

  beforeAll(async () => {
    unit = await startS3Unit({ clock });
    s3 = unit.client();
    await s3.send(new CreateBucketCommand({ Bucket: 'kept' }));
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: 'kept', NotificationConfiguration: { LambdaFunctionConfigurations: [{ Id: 'all', LambdaFunctionArn: FUNCTION, Events: ['s3:ObjectCreated:*'] }] } }));
  });
  afterAll(() => unit.close());

  it('acknowledges the write once its event is committed beside it, and hands the event over when the sink takes it again', async () => {
    unit.sink.fail = true;
    const answer = s3.send(new PutObjectCommand({ Bucket: 'kept', Key: 'in/kept.txt', Body: 'x' }));
    // The writer waits a little for the first attempt at its event, then answers: the event is safe in the outbox.
    await expect.poll(async () => (await unit.storage.queues.counts('s3-notifications')).delayed).toBe(1);
    await clock.advance(2_000);
    expect((await answer).ETag).toBe('"9dd4e461268c8034f5c8564e155c67a6"');
    expect(unit.sink.delivered).toEqual([]);
    unit.sink.fail = false;
    await clock.advance(5_000);
    await expect.poll(() => unit.sink.delivered.map(({ event }) => ('Records' in event ? event.Records[0]!.s3.object.key : ''))).toEqual(['in/kept.txt']);
    expect(await unit.storage.queues.counts('s3-notifications')).toEqual({ available: 0, leased: 0, delayed: 0 });
  });
});
