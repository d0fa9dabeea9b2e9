import {
  CreateBucketCommand,
  DeleteBucketLifecycleCommand,
  GetBucketLifecycleConfigurationCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketLifecycleConfigurationCommand,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
  type LifecycleRule,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/core/index.js';
import type { S3EventRecord } from '../../../src/services/s3/index.js';
import { s3Failure, startS3, startS3Unit, type S3Node, type S3Unit } from './harness.js';

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;
const START = Date.parse('2026-03-10T15:00:00Z');

const keysOf = async (s3: S3Client, Bucket: string) => ((await s3.send(new ListObjectsV2Command({ Bucket }))).Contents ?? []).map((object) => object.Key);

describe('S3 lifecycle configuration', () => {
  let node: S3Node;
  let s3: S3Client;

  beforeAll(async () => {
    node = await startS3({ clock: new FakeClock(START) });
    s3 = node.client();
    await s3.send(new CreateBucketCommand({ Bucket: 'rules' }));
  });
  afterAll(async () => node?.close());

  it('keeps a lifecycle configuration and returns it with the default minimum transition size (test_delete_bucket_lifecycle_configuration)', async () => {
    const Bucket = 'rules';
    const put = await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket,
        LifecycleConfiguration: {
          Rules: [
            { ID: 'wholebucket', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: 7 } },
            { ID: 'tagged', Status: 'Disabled', Filter: { And: { Prefix: 'logs/', Tags: [{ Key: 'tier', Value: 'cold' }] } }, Expiration: { Date: new Date('2027-01-01T00:00:00Z') } },
          ],
        },
      }),
    );
    expect(put.TransitionDefaultMinimumObjectSize).toBe('all_storage_classes_128K');
    const got = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }));
    expect(got.TransitionDefaultMinimumObjectSize).toBe('all_storage_classes_128K');
    expect(got.Rules).toEqual([
      { ID: 'wholebucket', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: 7 } },
      { ID: 'tagged', Status: 'Disabled', Filter: { And: { Prefix: 'logs/', Tags: [{ Key: 'tier', Value: 'cold' }] } }, Expiration: { Date: new Date('2027-01-01T00:00:00Z') } },
    ]);
    expect((await s3.send(new DeleteBucketLifecycleCommand({ Bucket }))).$metadata.httpStatusCode).toBe(204);
    const gone = await s3Failure(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket })));
    expect([gone.name, gone.message]).toEqual(['NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist']);
  });

  it('refuses configurations S3 refuses, in its words (test_put_bucket_lifecycle_conf_exc)', async () => {
    const put = (rule: LifecycleRule) => s3Failure(s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: 'rules', LifecycleConfiguration: { Rules: [rule] } })));
    expect((await put({ Status: 'Enabled', Expiration: { Days: 7 } })).name).toBe('MalformedXML');
    expect((await put({ ID: 'x', Status: 'Enabled', Filter: { ObjectSizeGreaterThan: 500, Prefix: '' }, Expiration: { Days: 7 } })).name).toBe('MalformedXML');
    const notMidnight = await put({ ID: 'x', Status: 'Enabled', Filter: {}, Expiration: { Date: new Date('2023-01-01T02:02:00Z') } });
    expect([notMidnight.name, notMidnight.message, (notMidnight as unknown as Record<string, unknown>).ArgumentName]).toEqual(['InvalidArgument', "'Date' must be at midnight GMT", 'Date']);
    const duplicateTags = await put({ ID: 'x', Status: 'Enabled', Filter: { And: { Tags: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] } }, Expiration: { Days: 1 } });
    expect([duplicateTags.name, duplicateTags.message]).toEqual(['InvalidRequest', 'Duplicate Tag Keys are not allowed.']);
    expect((await put({ ID: 'x', Status: 'Enabled', Filter: {}, Expiration: { Days: 1, ExpiredObjectDeleteMarker: true } })).name).toBe('MalformedXML');
  });

  it('expires objects on the node’s clock: Days rounded up to the next midnight UTC, only under the rule’s prefix', async () => {
    const Bucket = 'expiring';
    const clock = node.clock as FakeClock;
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: [{ ID: 'tmp-1d', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 1 } }] } }));
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'tmp/a.txt', Body: 'a' }));
    // Written 2026-03-10T15:00Z: one day later is 03-11T15:00, rounded up to 03-12T00:00Z.
    expect(put.Expiration).toBe('expiry-date="Thu, 12 Mar 2026 00:00:00 GMT", rule-id="tmp-1d"');
    expect((await s3.send(new HeadObjectCommand({ Bucket, Key: 'tmp/a.txt' }))).Expiration).toBe('expiry-date="Thu, 12 Mar 2026 00:00:00 GMT", rule-id="tmp-1d"');
    await s3.send(new PutObjectCommand({ Bucket, Key: 'keep/b.txt', Body: 'b' }));
    expect((await s3.send(new HeadObjectCommand({ Bucket, Key: 'keep/b.txt' }))).Expiration).toBeUndefined();

    await clock.advance(DAY);
    expect(await keysOf(s3, Bucket)).toEqual(['keep/b.txt', 'tmp/a.txt']);
    await clock.advance(9 * HOUR + HOUR);
    await expect.poll(() => keysOf(s3, Bucket)).toEqual(['keep/b.txt']);
  });
});

describe('S3 lifecycle expiration events', () => {
  let unit: S3Unit;
  let clock: FakeClock;

  beforeAll(async () => {
    clock = new FakeClock(START);
    unit = await startS3Unit({ clock });
  });
  afterAll(async () => unit?.close());

  it('deletes expired objects through the objects store, with s3:LifecycleExpiration:Delete for the bucket’s notifications', async () => {
    const s3 = unit.client();
    const Bucket = 'dated';
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket,
        NotificationConfiguration: { QueueConfigurations: [{ Id: 'expiry', QueueArn: 'arn:aws:sqs:us-east-1:000000000000:expired', Events: ['s3:LifecycleExpiration:*'] }] },
      }),
    );
    await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: [{ ID: 'by-date', Status: 'Enabled', Filter: {}, Expiration: { Date: new Date('2026-03-12T00:00:00Z') } }] } }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'report.csv', Body: 'x' }));
    unit.sink.delivered.length = 0;

    await clock.advance(DAY);
    expect(await keysOf(s3, Bucket)).toEqual(['report.csv']);
    await clock.advance(DAY);
    await expect.poll(() => keysOf(s3, Bucket)).toEqual([]);
    const records = unit.sink.delivered.flatMap(({ event }) => ('Records' in event ? event.Records : [])) as S3EventRecord[];
    expect(records.map((record) => [record.eventName, record.s3.object.key, record.s3.configurationId])).toEqual([['LifecycleExpiration:Delete', 'report.csv', 'expiry']]);
  });
});
