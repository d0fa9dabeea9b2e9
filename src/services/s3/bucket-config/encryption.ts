import { createHash } from 'node:crypto';
import type { BucketInfo } from '../../../storage/index.js';
import type { DeleteBucketEncryptionRequest, GetBucketEncryptionOutput, GetBucketEncryptionRequest, PutBucketEncryptionRequest, ServerSideEncryptionRule } from '../api.js';
import { requireBucket } from '../buckets.js';
import type { S3Context, S3Deps } from '../context.js';
import { invalidArgument, malformedXml } from '../errors.js';
import { CONFIG, readConfig, writeConfig } from './store.js';

/**
 * Default encryption. Since January 2023 every bucket encrypts new objects with SSE-S3 unless told otherwise, and
 * GetBucketEncryption shows that default; DeleteBucketEncryption returns a bucket to it
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-encryption-faq.html; test_s3_default_bucket_encryption).
 * Flint stores and echoes the settings; bodies stay unencrypted on disk.
 */
const ALGORITHMS: ReadonlySet<string> = new Set(['AES256', 'aws:kms', 'aws:kms:dsse']);
const KMS: ReadonlySet<string> = new Set(['aws:kms', 'aws:kms:dsse']);
const DEFAULT_RULE: ServerSideEncryptionRule = { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false };

export async function putBucketEncryption(input: PutBucketEncryptionRequest, { deps }: S3Context): Promise<void> {
  const bucket = await requireBucket(deps, input.Bucket);
  const rules = input.ServerSideEncryptionConfiguration?.Rules ?? [];
  if (rules.length !== 1) throw malformedXml();
  const rule = rules[0]!;
  const defaults = rule.ApplyServerSideEncryptionByDefault;
  if (!defaults || !ALGORITHMS.has(defaults.SSEAlgorithm)) throw malformedXml();
  if (defaults.KMSMasterKeyID !== undefined && !KMS.has(defaults.SSEAlgorithm)) {
    throw invalidArgument('a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse', 'ApplyServerSideEncryptionByDefault', undefined);
  }
  const stored: ServerSideEncryptionRule = { ApplyServerSideEncryptionByDefault: { ...defaults }, BucketKeyEnabled: rule.BucketKeyEnabled ?? false };
  await writeConfig(deps, bucket.name, CONFIG.encryption, stored);
}

export async function getBucketEncryption(input: GetBucketEncryptionRequest, { deps }: S3Context): Promise<GetBucketEncryptionOutput> {
  const bucket = await requireBucket(deps, input.Bucket);
  return { ServerSideEncryptionConfiguration: { Rules: [encryptionOf(bucket)] } };
}

export async function deleteBucketEncryption(input: DeleteBucketEncryptionRequest, { deps }: S3Context): Promise<void> {
  const bucket = await requireBucket(deps, input.Bucket);
  await writeConfig(deps, bucket.name, CONFIG.encryption, undefined);
}

export function encryptionOf(bucket: BucketInfo): ServerSideEncryptionRule {
  return readConfig<ServerSideEncryptionRule>(bucket, CONFIG.encryption) ?? DEFAULT_RULE;
}

/** What an object write asks for in its x-amz-server-side-encryption headers. */
export interface EncryptionRequest {
  ServerSideEncryption?: string;
  SSEKMSKeyId?: string;
  BucketKeyEnabled?: boolean;
}

/** The x-amz-server-side-encryption headers S3 answers with: what was asked for, else the bucket's default. */
export interface EncryptionEcho {
  ServerSideEncryption: string;
  SSEKMSKeyId?: string;
  BucketKeyEnabled?: boolean;
}

/** Refuses an encryption S3 does not know before anything is written. */
export function checkEncryptionRequest(input: EncryptionRequest): void {
  const asked = input.ServerSideEncryption;
  if (asked !== undefined && !ALGORITHMS.has(asked)) throw invalidArgument('The encryption method specified is not supported', 'x-amz-server-side-encryption', asked);
  if (input.SSEKMSKeyId !== undefined && (asked === undefined || !KMS.has(asked))) {
    throw invalidArgument(
      'Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms',
      'x-amz-server-side-encryption-aws-kms-key-id',
      input.SSEKMSKeyId,
    );
  }
}

export function encryptionEcho(deps: S3Deps, bucket: BucketInfo, input: EncryptionRequest = {}): EncryptionEcho {
  const rule = encryptionOf(bucket);
  const algorithm = input.ServerSideEncryption ?? rule.ApplyServerSideEncryptionByDefault?.SSEAlgorithm ?? 'AES256';
  if (!KMS.has(algorithm)) return { ServerSideEncryption: algorithm };
  const fromBucket = input.ServerSideEncryption === undefined ? rule.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID : undefined;
  const bucketKey = input.BucketKeyEnabled ?? rule.BucketKeyEnabled ?? false;
  return { ServerSideEncryption: algorithm, SSEKMSKeyId: keyArn(deps, input.SSEKMSKeyId ?? fromBucket), ...(bucketKey ? { BucketKeyEnabled: true } : {}) };
}

/** A KMS key as S3 names it: an ARN; without a key, the account's AWS-managed aws/s3 key (a fixed id per account). */
function keyArn(deps: S3Deps, key: string | undefined): string {
  if (key?.startsWith('arn:')) return key;
  const id = key ?? managedKeyId(deps);
  return `arn:aws:kms:${deps.region}:${deps.accountId}:key/${id}`;
}

function managedKeyId(deps: S3Deps): string {
  const hex = createHash('sha256').update(`aws/s3:${deps.accountId}:${deps.region}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
