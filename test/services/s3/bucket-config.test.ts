import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketEncryptionCommand,
  DeleteBucketOwnershipControlsCommand,
  DeleteBucketPolicyCommand,
  DeleteBucketTaggingCommand,
  DeleteBucketWebsiteCommand,
  DeletePublicAccessBlockCommand,
  GetBucketAccelerateConfigurationCommand,
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketLoggingCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetBucketRequestPaymentCommand,
  GetBucketTaggingCommand,
  GetBucketWebsiteCommand,
  GetPublicAccessBlockCommand,
  HeadObjectCommand,
  PutBucketAccelerateConfigurationCommand,
  PutBucketAclCommand,
  PutBucketEncryptionCommand,
  PutBucketLoggingCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketRequestPaymentCommand,
  PutBucketTaggingCommand,
  PutBucketWebsiteCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  S3Client,
  type Tag,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIALS, s3Failure, startS3, type S3Node } from './harness.js';
import { raw, S3_AUTH, xmlText } from './http.js';

/** An S3 error's extra elements (BucketName, TagKey, ArgumentName...), which the SDK puts on the exception. */
const fields = (error: unknown) => error as Record<string, unknown>;

describe('S3 bucket configurations', () => {
  let node: S3Node;
  let s3: S3Client;

  beforeAll(async () => {
    node = await startS3();
    s3 = node.client();
  });
  afterAll(async () => node?.close());

  it('keeps, replaces and deletes bucket tags, with 204s as S3 answers (test_bucket_tagging_crud)', async () => {
    const Bucket = 'tags';
    await s3.send(new CreateBucketCommand({ Bucket }));
    const put = await s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: [{ Key: 'tag1', Value: 'tag1' }, { Key: 'tag2', Value: '' }] } }));
    expect(put.$metadata.httpStatusCode).toBe(204);
    expect((await s3.send(new GetBucketTaggingCommand({ Bucket }))).TagSet).toEqual([{ Key: 'tag1', Value: 'tag1' }, { Key: 'tag2', Value: '' }]);
    await s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: [{ Key: 'tag3', Value: 'tag3' }] } }));
    expect((await s3.send(new GetBucketTaggingCommand({ Bucket }))).TagSet).toEqual([{ Key: 'tag3', Value: 'tag3' }]);
    expect((await s3.send(new DeleteBucketTaggingCommand({ Bucket }))).$metadata.httpStatusCode).toBe(204);
    expect((await s3Failure(s3.send(new GetBucketTaggingCommand({ Bucket })))).name).toBe('NoSuchTagSet');
  });

  it('refuses bad tag sets with InvalidTag, in S3 words (test_tagging_validation)', async () => {
    const Bucket = 'bad-tags';
    await s3.send(new CreateBucketCommand({ Bucket }));
    const put = (TagSet: Tag[]) => s3Failure(s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet } })));
    const duplicate = await put([{ Key: 'Key1', Value: 'Val1' }, { Key: 'Key1', Value: 'Val1' }]);
    expect([duplicate.name, duplicate.message, fields(duplicate).TagKey]).toEqual(['InvalidTag', 'Cannot provide multiple Tags with the same key', 'Key1']);
    const badKey = await put([{ Key: 'Key1,Key2', Value: 'Val1' }]);
    expect([badKey.message, fields(badKey).TagKey]).toEqual(['The TagKey you have provided is invalid', 'Key1,Key2']);
    const badValue = await put([{ Key: 'Key1', Value: 'Val1,Val2' }]);
    expect([badValue.message, fields(badValue).TagValue]).toEqual(['The TagValue you have provided is invalid', 'Val1,Val2']);
    const system = await put([{ Key: 'aws:prefixed', Value: 'Val1' }]);
    expect(system.message).toBe('System tags cannot be added/updated by requester');
    const tooMany = await put(Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })));
    expect([tooMany.name, tooMany.$metadata.httpStatusCode]).toEqual(['InvalidTag', 400]);
    expect((await s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) } }))).$metadata.httpStatusCode).toBe(204);
  });

  it('keeps a bucket policy exactly as sent, checks it as S3 does, and blocks public policies while BlockPublicPolicy is on', async () => {
    const Bucket = 'policy';
    await s3.send(new CreateBucketCommand({ Bucket }));
    const privatePolicy = `{
  "Version": "2012-10-17",
  "Statement": [{ "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::000000000000:root" }, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::${Bucket}/*" }]
}`;
    expect((await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: privatePolicy }))).$metadata.httpStatusCode).toBe(204);
    expect((await s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy).toBe(privatePolicy);
    expect((await s3.send(new GetBucketPolicyStatusCommand({ Bucket }))).PolicyStatus?.IsPublic).toBe(false);

    // test_bucket_policy_exc
    const notJson = await s3Failure(s3.send(new PutBucketPolicyCommand({ Bucket, Policy: 'not json' })));
    expect([notJson.name, notJson.message, notJson.$metadata.httpStatusCode]).toEqual(['MalformedPolicy', "Policies must be valid JSON and the first byte must be '{'", 400]);
    const empty = await s3Failure(s3.send(new PutBucketPolicyCommand({ Bucket, Policy: '{}' })));
    expect(empty.message).toBe('Missing required field Statement');
    const noPrincipal = await s3Failure(s3.send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: `arn:aws:s3:::${Bucket}` }] }) })));
    expect(noPrincipal.message).toBe('Missing required field Principal');
    const otherBucket = await s3Failure(
      s3.send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::elsewhere/*' }] }) })),
    );
    expect(otherBucket.message).toBe('Policy has invalid resource');

    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html: new buckets block public policies.
    const publicPolicy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${Bucket}/*` }] });
    const blocked = await s3Failure(s3.send(new PutBucketPolicyCommand({ Bucket, Policy: publicPolicy })));
    expect([blocked.name, blocked.$metadata.httpStatusCode]).toEqual(['AccessDenied', 403]);
    expect(blocked.message).toContain('because public policies are blocked by the BlockPublicPolicy block public access setting');
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket }));
    await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: publicPolicy }));
    expect((await s3.send(new GetBucketPolicyStatusCommand({ Bucket }))).PolicyStatus?.IsPublic).toBe(true);

    await s3.send(new DeleteBucketPolicyCommand({ Bucket }));
    expect((await s3Failure(s3.send(new GetBucketPolicyCommand({ Bucket })))).name).toBe('NoSuchBucketPolicy');
    expect((await s3.send(new DeleteBucketPolicyCommand({ Bucket }))).$metadata.httpStatusCode).toBe(204);
  });

  it('sets, reads and deletes the public access block and ownership controls (test_crud_public_access_block, test_crud_bucket_ownership_controls)', async () => {
    const Bucket = 'access';
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false } }));
    expect((await s3.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false });
    expect((await s3.send(new DeletePublicAccessBlockCommand({ Bucket }))).$metadata.httpStatusCode).toBe(204);
    const noBlock = await s3Failure(s3.send(new GetPublicAccessBlockCommand({ Bucket })));
    expect([noBlock.name, noBlock.message, fields(noBlock).BucketName]).toEqual(['NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', Bucket]);
    expect((await s3.send(new DeletePublicAccessBlockCommand({ Bucket }))).$metadata.httpStatusCode).toBe(204);

    await s3.send(new PutBucketOwnershipControlsCommand({ Bucket, OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } }));
    expect((await s3.send(new GetBucketOwnershipControlsCommand({ Bucket }))).OwnershipControls?.Rules).toEqual([{ ObjectOwnership: 'ObjectWriter' }]);
    await s3.send(new DeleteBucketOwnershipControlsCommand({ Bucket }));
    const noControls = await s3Failure(s3.send(new GetBucketOwnershipControlsCommand({ Bucket })));
    expect([noControls.name, noControls.message]).toEqual(['OwnershipControlsNotFoundError', 'The bucket ownership controls were not found']);
    const wrong = await s3Failure(s3.send(new PutBucketOwnershipControlsCommand({ Bucket, OwnershipControls: { Rules: [{ ObjectOwnership: 'RandomValue' as never }] } })));
    expect(wrong.name).toBe('MalformedXML');

    await s3.send(new CreateBucketCommand({ Bucket: 'preferred', ObjectOwnership: 'BucketOwnerPreferred' }));
    expect((await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: 'preferred' }))).OwnershipControls?.Rules).toEqual([{ ObjectOwnership: 'BucketOwnerPreferred' }]);
    const badHeader = await s3Failure(s3.send(new CreateBucketCommand({ Bucket: 'bad-ownership', ObjectOwnership: 'RandomValue' as never })));
    expect([badHeader.name, badHeader.message, fields(badHeader).ArgumentName]).toEqual(['InvalidArgument', 'Invalid x-amz-object-ownership header: RandomValue', 'x-amz-object-ownership']);
  });

  it('takes canned, header and document ACLs once ACLs are enabled, and refuses them while the bucket owner is enforced', async () => {
    const Bucket = 'acls';
    await s3.send(new CreateBucketCommand({ Bucket }));
    const owner = (await s3.send(new GetBucketAclCommand({ Bucket }))).Owner!.ID!;
    // The default, BucketOwnerEnforced, disables ACLs: only the owner's full control is accepted.
    expect((await s3.send(new PutBucketAclCommand({ Bucket, ACL: 'private' }))).$metadata.httpStatusCode).toBe(200);
    const refused = await s3Failure(s3.send(new PutBucketAclCommand({ Bucket, ACL: 'public-read' })));
    expect([refused.name, refused.message, refused.$metadata.httpStatusCode]).toEqual(['AccessControlListNotSupported', 'The bucket does not allow ACLs', 400]);
    const atCreation = await s3Failure(s3.send(new CreateBucketCommand({ Bucket: 'acl-at-creation', ACL: 'public-read' })));
    expect(atCreation.name).toBe('InvalidBucketAclWithObjectOwnership');

    await s3.send(new PutBucketOwnershipControlsCommand({ Bucket, OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] } }));
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket }));
    await s3.send(new PutBucketAclCommand({ Bucket, ACL: 'public-read' }));
    const publicRead = await s3.send(new GetBucketAclCommand({ Bucket }));
    expect(publicRead.Grants).toEqual([
      { Grantee: { ID: owner, Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' },
      { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' },
    ]);
    await s3.send(new PutBucketAclCommand({ Bucket, GrantRead: 'uri="http://acs.amazonaws.com/groups/s3/LogDelivery"' }));
    expect((await s3.send(new GetBucketAclCommand({ Bucket }))).Grants).toEqual([{ Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/s3/LogDelivery' }, Permission: 'READ' }]);
    await s3.send(
      new PutBucketAclCommand({
        Bucket,
        AccessControlPolicy: {
          Owner: { ID: owner },
          Grants: [
            { Grantee: { ID: owner, Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' },
            { Grantee: { URI: 'http://acs.amazonaws.com/groups/s3/LogDelivery', Type: 'Group' }, Permission: 'WRITE' },
          ],
        },
      }),
    );
    expect((await s3.send(new GetBucketAclCommand({ Bucket }))).Grants?.map((grant) => grant.Permission)).toEqual(['FULL_CONTROL', 'WRITE']);

    // test_s3_bucket_acl_exceptions
    const both = await s3Failure(s3.send(new PutBucketAclCommand({ Bucket, ACL: 'private', GrantRead: `id="${owner}"` })));
    expect([both.name, both.message]).toEqual(['InvalidRequest', 'Specifying both Canned ACLs and Header Grants is not allowed']);
    const fakeUri = await s3Failure(s3.send(new PutBucketAclCommand({ Bucket, GrantWrite: 'uri="http://acs.amazonaws.com/groups/s3/FakeGroup"' })));
    expect([fakeUri.message, fields(fakeUri).ArgumentName]).toEqual(['Invalid group uri', 'uri']);
    const fakeKey = await s3Failure(s3.send(new PutBucketAclCommand({ Bucket, GrantWrite: 'fakekey="1234"' })));
    expect([fakeKey.message, fields(fakeKey).ArgumentName, fields(fakeKey).ArgumentValue]).toEqual(['Argument format not recognized', 'x-amz-grant-write', 'fakekey="1234"']);
    const badId = await s3Failure(s3.send(new PutBucketAclCommand({ Bucket, GrantWrite: 'id="wrong-id"' })));
    expect([badId.message, fields(badId).ArgumentValue]).toEqual(['Invalid id', 'wrong-id']);
    const nothing = await s3Failure(s3.send(new PutBucketAclCommand({ Bucket })));
    expect([nothing.name, fields(nothing).MissingHeaderName]).toEqual(['MissingSecurityHeader', 'x-amz-acl']);
  });

  it('writes ACL grantees with their xsi:type, as S3 documents them', async () => {
    const answer = await raw(node.url, { path: '/acls?acl' });
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/">');
    expect(answer.text).toMatch(/<Grantee xmlns:xsi="http:\/\/www.w3.org\/2001\/XMLSchema-instance" xsi:type="CanonicalUser"><ID>[0-9a-f]{64}<\/ID><\/Grantee>/);
  });

  it('keeps default encryption and echoes it on object writes and reads (test_s3_bucket_encryption_sse_kms)', async () => {
    const Bucket = 'encrypted';
    await s3.send(new CreateBucketCommand({ Bucket }));
    expect((await s3.send(new PutObjectCommand({ Bucket, Key: 'plain', Body: 'x' }))).ServerSideEncryption).toBe('AES256');
    expect((await s3.send(new HeadObjectCommand({ Bucket, Key: 'plain' }))).ServerSideEncryption).toBe('AES256');

    await s3.send(new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'key-1' }, BucketKeyEnabled: true }] } }));
    expect((await s3.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration?.Rules).toEqual([
      { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'key-1' }, BucketKeyEnabled: true },
    ]);
    const kms = await s3.send(new PutObjectCommand({ Bucket, Key: 'kms', Body: 'x' }));
    expect([kms.ServerSideEncryption, kms.SSEKMSKeyId, kms.BucketKeyEnabled]).toEqual(['aws:kms', 'arn:aws:kms:us-east-1:000000000000:key/key-1', true]);
    const asked = await s3.send(new PutObjectCommand({ Bucket, Key: 'asked', Body: 'x', ServerSideEncryption: 'AES256' }));
    expect([asked.ServerSideEncryption, asked.SSEKMSKeyId]).toEqual(['AES256', undefined]);

    const kmsWithAes = await s3Failure(
      s3.send(new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256', KMSMasterKeyID: 'key-1' } }] } })),
    );
    expect([kmsWithAes.name, kmsWithAes.message]).toEqual(['InvalidArgument', 'a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse']);
    const noRules = await s3Failure(s3.send(new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: { Rules: [] } })));
    expect(noRules.name).toBe('MalformedXML');

    expect((await s3.send(new DeleteBucketEncryptionCommand({ Bucket }))).$metadata.httpStatusCode).toBe(204);
    expect((await s3.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe('AES256');
  });

  it('keeps website, logging, request payment and accelerate settings', async () => {
    const Bucket = 'settings';
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutBucketWebsiteCommand({ Bucket, WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' }, ErrorDocument: { Key: 'error.html' } } }));
    const website = await s3.send(new GetBucketWebsiteCommand({ Bucket }));
    expect([website.IndexDocument, website.ErrorDocument]).toEqual([{ Suffix: 'index.html' }, { Key: 'error.html' }]);
    // test_validate_website_configuration
    const badSuffix = await s3Failure(s3.send(new PutBucketWebsiteCommand({ Bucket, WebsiteConfiguration: { IndexDocument: { Suffix: '/index.html' } } })));
    expect([badSuffix.name, badSuffix.message]).toEqual(['InvalidArgument', 'The IndexDocument Suffix is not well formed']);
    expect((await s3.send(new DeleteBucketWebsiteCommand({ Bucket }))).$metadata.httpStatusCode).toBe(204);
    expect((await s3Failure(s3.send(new GetBucketWebsiteCommand({ Bucket })))).name).toBe('NoSuchWebsiteConfiguration');

    await s3.send(new CreateBucketCommand({ Bucket: 'logs' }));
    await s3.send(new PutBucketLoggingCommand({ Bucket, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: 'logs', TargetPrefix: 'access/' } } }));
    expect((await s3.send(new GetBucketLoggingCommand({ Bucket }))).LoggingEnabled).toEqual({ TargetBucket: 'logs', TargetPrefix: 'access/' });
    const noTarget = await s3Failure(s3.send(new PutBucketLoggingCommand({ Bucket, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: 'no-such-logs', TargetPrefix: 'x' } } })));
    expect([noTarget.name, noTarget.message, fields(noTarget).TargetBucket]).toEqual(['InvalidTargetBucketForLogging', 'The target bucket for logging does not exist', 'no-such-logs']);
    await s3.send(new PutBucketLoggingCommand({ Bucket, BucketLoggingStatus: {} }));
    expect((await s3.send(new GetBucketLoggingCommand({ Bucket }))).LoggingEnabled).toBeUndefined();

    await s3.send(new PutBucketRequestPaymentCommand({ Bucket, RequestPaymentConfiguration: { Payer: 'Requester' } }));
    expect((await s3.send(new GetBucketRequestPaymentCommand({ Bucket }))).Payer).toBe('Requester');

    await s3.send(new PutBucketAccelerateConfigurationCommand({ Bucket, AccelerateConfiguration: { Status: 'Enabled' } }));
    expect((await s3.send(new GetBucketAccelerateConfigurationCommand({ Bucket }))).Status).toBe('Enabled');
    await s3.send(new CreateBucketCommand({ Bucket: 'dotted.bucket' }));
    const dotted = await s3Failure(s3.send(new PutBucketAccelerateConfigurationCommand({ Bucket: 'dotted.bucket', AccelerateConfiguration: { Status: 'Enabled' } })));
    expect(dotted.message).toBe('S3 Transfer Acceleration is not supported for buckets with periods (.) in their names');
  });

  it('forgets a bucket’s configurations with the bucket', async () => {
    const Bucket = 'recreated';
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: [{ Key: 'k', Value: 'v' }] } }));
    await s3.send(new DeleteBucketOwnershipControlsCommand({ Bucket }));
    await s3.send(new DeleteBucketCommand({ Bucket }));
    await s3.send(new CreateBucketCommand({ Bucket }));
    expect((await s3Failure(s3.send(new GetBucketTaggingCommand({ Bucket })))).name).toBe('NoSuchTagSet');
    expect((await s3.send(new GetBucketOwnershipControlsCommand({ Bucket }))).OwnershipControls?.Rules).toEqual([{ ObjectOwnership: 'BucketOwnerEnforced' }]);
  });

  it('checks the location constraint against the region the request is signed for (test_different_location_constraint)', async () => {
    // The SDK fills in its region as the constraint when none is given, so the bare request goes raw.
    const unspecified = await raw(node.url, { method: 'PUT', path: '/west-none', headers: { authorization: S3_AUTH.replace('us-east-1', 'us-west-1') } });
    expect(unspecified.status).toBe(400);
    expect(xmlText(unspecified.text, 'Code')).toBe('IllegalLocationConstraintException');
    expect(xmlText(unspecified.text, 'Message')).toBe('The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.');
    const west = new S3Client({ endpoint: node.url, region: 'us-west-1', credentials: CREDENTIALS, forcePathStyle: true, maxAttempts: 1 });
    try {
      const other = await s3Failure(west.send(new CreateBucketCommand({ Bucket: 'west-other', CreateBucketConfiguration: { LocationConstraint: 'us-east-2' } })));
      expect(other.message).toBe('The us-east-2 location constraint is incompatible for the region specific endpoint this request was sent to.');
      await west.send(new CreateBucketCommand({ Bucket: 'west-ok', CreateBucketConfiguration: { LocationConstraint: 'us-west-1' } }));
    } finally {
      west.destroy();
    }
    // From us-east-1, any region S3 knows is accepted, and an unknown one is InvalidLocationConstraint.
    await s3.send(new CreateBucketCommand({ Bucket: 'east-to-west', CreateBucketConfiguration: { LocationConstraint: 'us-west-2' } }));
    const unknown = await s3Failure(s3.send(new CreateBucketCommand({ Bucket: 'east-foo', CreateBucketConfiguration: { LocationConstraint: 'foo' as never } })));
    expect([unknown.name, fields(unknown).LocationConstraint]).toEqual(['InvalidLocationConstraint', 'foo']);
  });
});
