import {
  CreateBucketCommand,
  GetBucketAccelerateConfigurationCommand,
  GetBucketAclCommand,
  GetBucketCorsCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketReplicationCommand,
  GetBucketRequestPaymentCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetBucketWebsiteCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Failure, startS3, type S3Node } from './harness.js';

/**
 * What the Terraform AWS provider's aws_s3_bucket read does on every plan: one Get per subresource. A fresh bucket
 * answers as AWS does since 2023 (default encryption SSE-S3, ownership BucketOwnerEnforced, all public access blocked)
 * and with the "not found" errors the provider expects for the rest. Sources: LocalStack's recordings of AWS in
 * tests/aws/services/s3/test_s3_api.snapshot.json (test_s3_default_bucket_encryption, test_crud_bucket_ownership_controls,
 * test_crud_public_access_block, test_bucket_policy_crud, test_bucket_acceleration_configuration_crud, test_bucket_tagging_crud)
 * and test_s3.snapshot.json (test_s3_bucket_acl, test_get_cors, test_crud_website_configuration, test_replication_config,
 * test_get_object_lock_configuration_exc, test_delete_bucket_lifecycle_configuration).
 */
describe('S3: a Terraform-style read of a fresh bucket', () => {
  let node: S3Node;
  let s3: S3Client;

  beforeAll(async () => {
    node = await startS3();
    s3 = node.client();
    await s3.send(new CreateBucketCommand({ Bucket: 'tf-fresh' }));
  });
  afterAll(async () => node?.close());

  const Bucket = 'tf-fresh';

  it('answers every configuration Get the provider makes as AWS answers them for a new bucket', async () => {
    const acl = await s3.send(new GetBucketAclCommand({ Bucket }));
    expect(acl.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
    expect(acl.Grants).toEqual([{ Grantee: { ID: acl.Owner?.ID, Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' }]);

    const cors = await s3Failure(s3.send(new GetBucketCorsCommand({ Bucket })));
    expect([cors.name, cors.message, cors.$metadata.httpStatusCode]).toEqual(['NoSuchCORSConfiguration', 'The CORS configuration does not exist', 404]);

    const website = await s3Failure(s3.send(new GetBucketWebsiteCommand({ Bucket })));
    expect([website.name, website.message, website.$metadata.httpStatusCode]).toEqual(['NoSuchWebsiteConfiguration', 'The specified bucket does not have a website configuration', 404]);

    const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket }));
    expect(versioning.Status).toBeUndefined();

    const accelerate = await s3.send(new GetBucketAccelerateConfigurationCommand({ Bucket }));
    expect(accelerate.Status).toBeUndefined();

    expect((await s3.send(new GetBucketRequestPaymentCommand({ Bucket }))).Payer).toBe('BucketOwner');
    expect((await s3.send(new GetBucketLoggingCommand({ Bucket }))).LoggingEnabled).toBeUndefined();

    const lifecycle = await s3Failure(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket })));
    expect([lifecycle.name, lifecycle.message, lifecycle.$metadata.httpStatusCode]).toEqual(['NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist', 404]);

    const replication = await s3Failure(s3.send(new GetBucketReplicationCommand({ Bucket })));
    expect([replication.name, replication.message, replication.$metadata.httpStatusCode]).toEqual(['ReplicationConfigurationNotFoundError', 'The replication configuration was not found', 404]);

    const encryption = await s3.send(new GetBucketEncryptionCommand({ Bucket }));
    expect(encryption.ServerSideEncryptionConfiguration).toEqual({ Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }] });

    const lock = await s3Failure(s3.send(new GetObjectLockConfigurationCommand({ Bucket })));
    expect([lock.name, lock.message, lock.$metadata.httpStatusCode]).toEqual(['ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket', 404]);

    const tagging = await s3Failure(s3.send(new GetBucketTaggingCommand({ Bucket })));
    expect([tagging.name, tagging.message, tagging.$metadata.httpStatusCode]).toEqual(['NoSuchTagSet', 'The TagSet does not exist', 404]);

    const policy = await s3Failure(s3.send(new GetBucketPolicyCommand({ Bucket })));
    expect([policy.name, policy.message, policy.$metadata.httpStatusCode]).toEqual(['NoSuchBucketPolicy', 'The bucket policy does not exist', 404]);

    const ownership = await s3.send(new GetBucketOwnershipControlsCommand({ Bucket }));
    expect(ownership.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });

    const block = await s3.send(new GetPublicAccessBlockCommand({ Bucket }));
    expect(block.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });

    expect((await s3.send(new GetBucketLocationCommand({ Bucket }))).LocationConstraint).toBeUndefined();
  });

  it('names the bucket in every "not found" error, and answers NoSuchBucket for a bucket that is not there', async () => {
    const tagging = await s3Failure(s3.send(new GetBucketTaggingCommand({ Bucket })));
    expect((tagging as unknown as { BucketName?: string }).BucketName).toBe(Bucket);
    for (const command of [new GetBucketAclCommand({ Bucket: 'tf-missing' }), new GetBucketEncryptionCommand({ Bucket: 'tf-missing' }), new GetBucketPolicyCommand({ Bucket: 'tf-missing' })]) {
      const missing = await s3Failure(s3.send(command as never));
      expect([missing.name, missing.$metadata.httpStatusCode]).toEqual(['NoSuchBucket', 404]);
    }
  });
});
