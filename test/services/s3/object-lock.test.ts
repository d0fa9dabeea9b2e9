import {
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectLegalHoldCommand,
  GetObjectLockConfigurationCommand,
  GetObjectRetentionCommand,
  HeadObjectCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  PutObjectLockConfigurationCommand,
  PutObjectRetentionCommand,
  ListObjectVersionsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/core/index.js';
import { loadModel } from '../../../src/protocol/index.js';
import { OBJECT_LOCK_ERROR_TYPES } from '../../../src/services/s3/object-lock/index.js';
import { expectErrorsInModel } from '../../protocol/error-contract.js';
import { startS3, type S3Node } from './harness.js';

const START = Date.UTC(2030, 0, 1, 12);
const DAY = 24 * 60 * 60 * 1000;
const MALFORMED = { name: 'MalformedXML', $metadata: { httpStatusCode: 400 } };
const LOCKED = { name: 'AccessDenied', message: 'Access Denied because object protected by object lock.', $metadata: { httpStatusCode: 403 } };

function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => 'succeeded',
    (error: unknown) => error,
  );
}

/**
 * Object lock as LocalStack's recordings of S3 show it (tests/aws/services/s3/test_s3_api.snapshot.json TestS3ObjectLock,
 * test_s3.snapshot.json TestS3ObjectLockRetention and TestS3ObjectLockLegalHold), on the node's clock.
 */
describe('S3 object lock', () => {
  let node: S3Node;
  let s3: S3Client;
  let clock: FakeClock;

  beforeAll(async () => {
    clock = new FakeClock(START);
    node = await startS3({ clock });
    s3 = node.client();
  });
  afterAll(async () => {
    await node?.close();
  });

  async function lockedBucket(name: string): Promise<void> {
    await s3.send(new CreateBucketCommand({ Bucket: name, ObjectLockEnabledForBucket: true }));
  }

  it('enables lock at creation with versioning on, and keeps a default retention rule (test_get_put_object_lock_configuration)', async () => {
    await lockedBucket('lock-config');
    expect((await s3.send(new GetObjectLockConfigurationCommand({ Bucket: 'lock-config' }))).ObjectLockConfiguration).toEqual({ ObjectLockEnabled: 'Enabled' });
    const versioning = await failure(s3.send(new PutBucketVersioningCommand({ Bucket: 'lock-config', VersioningConfiguration: { Status: 'Suspended' } })));
    expect(versioning).toMatchObject({ name: 'InvalidBucketState', message: 'An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.', $metadata: { httpStatusCode: 409 } });
    const rule = { ObjectLockEnabled: 'Enabled' as const, Rule: { DefaultRetention: { Mode: 'GOVERNANCE' as const, Days: 1 } } };
    await s3.send(new PutObjectLockConfigurationCommand({ Bucket: 'lock-config', ObjectLockConfiguration: rule }));
    expect((await s3.send(new GetObjectLockConfigurationCommand({ Bucket: 'lock-config' }))).ObjectLockConfiguration).toEqual(rule);
    // The default applies to new versions, exactly Days after they are written (test_bucket_config_default_retention).
    const put = await s3.send(new PutObjectCommand({ Bucket: 'lock-config', Key: 'k', Body: 'default' }));
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'lock-config', Key: 'k' }));
    expect(head.ObjectLockMode).toBe('GOVERNANCE');
    expect(head.ObjectLockRetainUntilDate?.getTime()).toBe(Math.floor((START + DAY) / 1000) * 1000);
    expect(await failure(s3.send(new DeleteObjectCommand({ Bucket: 'lock-config', Key: 'k', VersionId: put.VersionId })))).toMatchObject(LOCKED);
    await s3.send(new PutObjectLockConfigurationCommand({ Bucket: 'lock-config', ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } }));
    expect((await s3.send(new GetObjectLockConfigurationCommand({ Bucket: 'lock-config' }))).ObjectLockConfiguration).toEqual({ ObjectLockEnabled: 'Enabled' });
  });

  it("refuses malformed configurations and buckets whose versioning is not Enabled (test_put_object_lock_configuration_exc, _on_existing_bucket)", async () => {
    await lockedBucket('lock-bad');
    const bad = [
      { Rule: { DefaultRetention: { Mode: 'GOVERNANCE' as const, Days: 1 } } },
      {},
      { ObjectLockEnabled: 'Enabled' as const, Rule: {} },
      { ObjectLockEnabled: 'Enabled' as const, Rule: { DefaultRetention: {} } },
      { ObjectLockEnabled: 'Enabled' as const, Rule: { DefaultRetention: { Mode: 'GOVERNANCE' as const } } },
      { ObjectLockEnabled: 'Enabled' as const, Rule: { DefaultRetention: { Mode: 'BAD-VALUE' as 'GOVERNANCE', Days: 1 } } },
      { ObjectLockEnabled: 'Enabled' as const, Rule: { DefaultRetention: { Mode: 'GOVERNANCE' as const, Days: 1, Years: 1 } } },
    ];
    for (const config of bad) expect(await failure(s3.send(new PutObjectLockConfigurationCommand({ Bucket: 'lock-bad', ObjectLockConfiguration: config })))).toMatchObject(MALFORMED);

    await s3.send(new CreateBucketCommand({ Bucket: 'lock-later' }));
    expect(await failure(s3.send(new GetObjectLockConfigurationCommand({ Bucket: 'lock-later' })))).toMatchObject({
      name: 'ObjectLockConfigurationNotFoundError',
      message: 'Object Lock configuration does not exist for this bucket',
      $metadata: { httpStatusCode: 404 },
    });
    const enable = () => s3.send(new PutObjectLockConfigurationCommand({ Bucket: 'lock-later', ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } }));
    expect(await failure(enable())).toMatchObject({
      name: 'InvalidBucketState',
      message: "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration",
      $metadata: { httpStatusCode: 409 },
    });
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'lock-later', VersioningConfiguration: { Status: 'Enabled' } }));
    await enable();
    expect((await s3.send(new GetObjectLockConfigurationCommand({ Bucket: 'lock-later' }))).ObjectLockConfiguration).toEqual({ ObjectLockEnabled: 'Enabled' });
  });

  it('protects a GOVERNANCE version until bypassed, and lets a marker be added (test_s3_object_retention)', async () => {
    await lockedBucket('lock-gov');
    const until = new Date(START + 10 * DAY);
    const put = await s3.send(new PutObjectCommand({ Bucket: 'lock-gov', Key: 'k', Body: 'x', ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: until }));
    expect(await s3.send(new GetObjectRetentionCommand({ Bucket: 'lock-gov', Key: 'k' }))).toMatchObject({ Retention: { Mode: 'GOVERNANCE', RetainUntilDate: until } });
    const versionId = put.VersionId;
    expect(await failure(s3.send(new DeleteObjectCommand({ Bucket: 'lock-gov', Key: 'k', VersionId: versionId })))).toMatchObject(LOCKED);
    const many = await s3.send(new DeleteObjectsCommand({ Bucket: 'lock-gov', Delete: { Objects: [{ Key: 'k', VersionId: versionId }] } }));
    expect(many.Errors).toEqual([{ Key: 'k', VersionId: versionId, Code: 'AccessDenied', Message: 'Access Denied because object protected by object lock.' }]);
    // Shortening needs the bypass; lengthening does not (test_object_lock_extend_duration).
    const shorter = { Mode: 'GOVERNANCE' as const, RetainUntilDate: new Date(START + DAY) };
    expect(await failure(s3.send(new PutObjectRetentionCommand({ Bucket: 'lock-gov', Key: 'k', VersionId: versionId, Retention: shorter })))).toMatchObject(LOCKED);
    await s3.send(new PutObjectRetentionCommand({ Bucket: 'lock-gov', Key: 'k', VersionId: versionId, Retention: { Mode: 'GOVERNANCE', RetainUntilDate: new Date(START + 20 * DAY) } }));
    await s3.send(new PutObjectRetentionCommand({ Bucket: 'lock-gov', Key: 'k', VersionId: versionId, Retention: shorter, BypassGovernanceRetention: true }));
    const past = await failure(s3.send(new PutObjectRetentionCommand({ Bucket: 'lock-gov', Key: 'k', Retention: { Mode: 'GOVERNANCE', RetainUntilDate: new Date(Date.UTC(2020, 0, 1)) } })));
    expect(past).toMatchObject({ name: 'InvalidArgument', message: 'The retain until date must be in the future!', ArgumentName: 'RetainUntilDate' });
    const marker = await s3.send(new DeleteObjectCommand({ Bucket: 'lock-gov', Key: 'k' }));
    expect(marker.DeleteMarker).toBe(true);
    expect(await failure(s3.send(new GetObjectRetentionCommand({ Bucket: 'lock-gov', Key: 'k', VersionId: marker.VersionId })))).toMatchObject({ name: 'MethodNotAllowed', $metadata: { httpStatusCode: 405 } });
    const bypassed = await s3.send(new DeleteObjectCommand({ Bucket: 'lock-gov', Key: 'k', VersionId: versionId, BypassGovernanceRetention: true }));
    expect(bypassed.VersionId).toBe(versionId);
  });

  it('lets COMPLIANCE only be extended, even with the bypass, until its date passes (test_s3_object_retention_compliance_mode)', async () => {
    await lockedBucket('lock-comp');
    const put = await s3.send(new PutObjectCommand({ Bucket: 'lock-comp', Key: 'k', Body: 'x' }));
    const versionId = put.VersionId;
    const until = START + DAY;
    await s3.send(new PutObjectRetentionCommand({ Bucket: 'lock-comp', Key: 'k', Retention: { Mode: 'COMPLIANCE', RetainUntilDate: new Date(until) } }));
    expect(await failure(s3.send(new DeleteObjectCommand({ Bucket: 'lock-comp', Key: 'k', VersionId: versionId, BypassGovernanceRetention: true })))).toMatchObject(LOCKED);
    const retain = (mode: 'GOVERNANCE' | 'COMPLIANCE', at: number) =>
      s3.send(new PutObjectRetentionCommand({ Bucket: 'lock-comp', Key: 'k', VersionId: versionId, BypassGovernanceRetention: true, Retention: { Mode: mode, RetainUntilDate: new Date(at) } }));
    expect(await failure(retain('COMPLIANCE', until - 1000))).toMatchObject(LOCKED);
    expect(await failure(retain('GOVERNANCE', until + 1000))).toMatchObject(LOCKED);
    await retain('COMPLIANCE', until + 2 * DAY);
    await clock.advance(3 * DAY + 1000);
    await s3.send(new DeleteObjectCommand({ Bucket: 'lock-comp', Key: 'k', VersionId: versionId }));
  });

  it('blocks deletion under legal hold regardless of the bypass (test_delete_locked_object, test_s3_legal_hold_lock_versioned)', async () => {
    await lockedBucket('lock-hold');
    const put = await s3.send(new PutObjectCommand({ Bucket: 'lock-hold', Key: 'k', Body: 'x' }));
    expect(await failure(s3.send(new GetObjectLegalHoldCommand({ Bucket: 'lock-hold', Key: 'k' })))).toMatchObject({
      name: 'NoSuchObjectLockConfiguration',
      message: 'The specified object does not have a ObjectLock configuration',
      $metadata: { httpStatusCode: 404 },
    });
    await s3.send(new PutObjectLegalHoldCommand({ Bucket: 'lock-hold', Key: 'k', VersionId: put.VersionId, LegalHold: { Status: 'ON' } }));
    expect((await s3.send(new GetObjectLegalHoldCommand({ Bucket: 'lock-hold', Key: 'k' }))).LegalHold).toEqual({ Status: 'ON' });
    expect((await s3.send(new HeadObjectCommand({ Bucket: 'lock-hold', Key: 'k' }))).ObjectLockLegalHoldStatus).toBe('ON');
    const bypass = { Bucket: 'lock-hold', Key: 'k', VersionId: put.VersionId, BypassGovernanceRetention: true };
    expect(await failure(s3.send(new DeleteObjectCommand(bypass)))).toMatchObject(LOCKED);
    await s3.send(new PutObjectLegalHoldCommand({ Bucket: 'lock-hold', Key: 'k', VersionId: put.VersionId, LegalHold: { Status: 'OFF' } }));
    expect((await s3.send(new HeadObjectCommand({ Bucket: 'lock-hold', Key: 'k' }))).ObjectLockLegalHoldStatus).toBe('OFF');
    await s3.send(new DeleteObjectCommand({ Bucket: 'lock-hold', Key: 'k', VersionId: put.VersionId }));
  });

  it('checks the lock headers of writes, and copies do not inherit the lock (test_s3_object_lock_mode_validation, test_s3_copy_object_retention_lock)', async () => {
    await lockedBucket('lock-headers');
    const until = new Date(Math.floor((clock.now() + DAY) / 1000) * 1000);
    expect(await failure(s3.send(new PutObjectCommand({ Bucket: 'lock-headers', Key: 'k', Body: 'x', ObjectLockMode: 'GOVERNANCE' })))).toMatchObject({
      name: 'InvalidArgument',
      message: 'x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied',
      ArgumentName: 'x-amz-object-lock-retain-until-date',
    });
    expect(await failure(s3.send(new PutObjectCommand({ Bucket: 'lock-headers', Key: 'k', Body: 'x', ObjectLockRetainUntilDate: until })))).toMatchObject({ ArgumentName: 'x-amz-object-lock-mode' });
    const badMode = { Bucket: 'lock-headers', Key: 'k', ObjectLockMode: 'BAD-VALUE' as 'GOVERNANCE', ObjectLockRetainUntilDate: until };
    for (const attempt of [() => s3.send(new PutObjectCommand({ ...badMode, Body: 'x' })), () => s3.send(new CreateMultipartUploadCommand(badMode))]) {
      expect(await failure(attempt())).toMatchObject({ name: 'InvalidArgument', message: 'Unknown wormMode directive.', ArgumentName: 'x-amz-object-lock-mode', ArgumentValue: 'BAD-VALUE' });
    }
    await s3.send(new PutObjectCommand({ Bucket: 'lock-headers', Key: 'src', Body: 'x', ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: until, ObjectLockLegalHoldStatus: 'ON' }));
    const source = await s3.send(new HeadObjectCommand({ Bucket: 'lock-headers', Key: 'src' }));
    expect(source).toMatchObject({ ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: until, ObjectLockLegalHoldStatus: 'ON' });
    await s3.send(new CopyObjectCommand({ Bucket: 'lock-headers', Key: 'plain-copy', CopySource: 'lock-headers/src' }));
    const plain = await s3.send(new HeadObjectCommand({ Bucket: 'lock-headers', Key: 'plain-copy' }));
    expect([plain.ObjectLockMode, plain.ObjectLockRetainUntilDate, plain.ObjectLockLegalHoldStatus]).toEqual([undefined, undefined, undefined]);
    await s3.send(new CopyObjectCommand({ Bucket: 'lock-headers', Key: 'held-copy', CopySource: 'lock-headers/src', ObjectLockLegalHoldStatus: 'ON' }));
    expect((await s3.send(new HeadObjectCommand({ Bucket: 'lock-headers', Key: 'held-copy' }))).ObjectLockLegalHoldStatus).toBe('ON');
  });

  it('answers buckets without object lock as S3 does (test_s3_object_retention_exc, test_delete_object_with_no_locking)', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'no-lock' }));
    await s3.send(new PutObjectCommand({ Bucket: 'no-lock', Key: 'k', Body: 'x' }));
    const later = new Date(clock.now() + DAY);
    const missing = { name: 'InvalidRequest', message: 'Bucket is missing Object Lock Configuration', $metadata: { httpStatusCode: 400 } };
    expect(await failure(s3.send(new PutObjectRetentionCommand({ Bucket: 'no-lock', Key: 'k', Retention: { Mode: 'GOVERNANCE', RetainUntilDate: later } })))).toMatchObject(missing);
    expect(await failure(s3.send(new GetObjectRetentionCommand({ Bucket: 'no-lock', Key: 'k' })))).toMatchObject(missing);
    expect(await failure(s3.send(new GetObjectLegalHoldCommand({ Bucket: 'no-lock', Key: 'k' })))).toMatchObject(missing);
    expect(await failure(s3.send(new PutObjectLegalHoldCommand({ Bucket: 'no-lock', Key: 'k' })))).toMatchObject(MALFORMED);
    const bypass = { name: 'InvalidArgument', message: 'x-amz-bypass-governance-retention is only applicable to Object Lock enabled buckets.', ArgumentName: 'x-amz-bypass-governance-retention' };
    expect(await failure(s3.send(new DeleteObjectCommand({ Bucket: 'no-lock', Key: 'k', BypassGovernanceRetention: false })))).toMatchObject(bypass);
    expect(await failure(s3.send(new DeleteObjectsCommand({ Bucket: 'no-lock', Delete: { Objects: [{ Key: 'k' }] }, BypassGovernanceRetention: true })))).toMatchObject(bypass);
    expect(await failure(s3.send(new PutObjectCommand({ Bucket: 'no-lock', Key: 'k', Body: 'x', ObjectLockLegalHoldStatus: 'ON' })))).toMatchObject(missing);
    expect(await failure(s3.send(new PutObjectRetentionCommand({ Bucket: 'lock-gov', Key: 'absent', Retention: { Mode: 'GOVERNANCE', RetainUntilDate: later } })))).toMatchObject({
      name: 'NoSuchKey',
    });
  });

  it('lets lifecycle expiry add a delete marker but never remove a locked version', async () => {
    await lockedBucket('lock-expiry');
    await s3.send(new PutObjectCommand({ Bucket: 'lock-expiry', Key: 'logs/a', Body: 'x', ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: new Date(clock.now() + 30 * DAY) }));
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({ Bucket: 'lock-expiry', LifecycleConfiguration: { Rules: [{ ID: 'expire', Status: 'Enabled', Filter: { Prefix: 'logs/' }, Expiration: { Days: 1 } }] } }),
    );
    await clock.advance(3 * DAY);
    await expect
      .poll(async () => {
        const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: 'lock-expiry' }));
        return { versions: listed.Versions?.length ?? 0, markers: listed.DeleteMarkers?.length ?? 0 };
      })
      .toEqual({ versions: 1, markers: 1 });
  });

  it('sends only codes of the model or codes S3 documents', () => {
    expectErrorsInModel(loadModel('s3'), OBJECT_LOCK_ERROR_TYPES, {
      InvalidBucketState: "documented in the S3 API reference's error code list (409); object lock on a bucket whose versioning is not Enabled",
      NoSuchObjectLockConfiguration: "documented in the S3 API reference's error code list (404); a version without retention or legal hold",
    });
  });
});
