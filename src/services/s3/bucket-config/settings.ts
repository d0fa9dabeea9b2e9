import type {
  DeleteBucketReplicationRequest,
  GetBucketAccelerateConfigurationOutput,
  GetBucketAccelerateConfigurationRequest,
  GetBucketLoggingOutput,
  GetBucketLoggingRequest,
  GetBucketReplicationOutput,
  GetBucketReplicationRequest,
  GetBucketRequestPaymentOutput,
  GetBucketRequestPaymentRequest,
  LoggingEnabled,
  PutBucketAccelerateConfigurationRequest,
  PutBucketLoggingRequest,
  PutBucketRequestPaymentRequest,
} from '../api.js';
import { requireBucket } from '../buckets.js';
import type { S3Context } from '../context.js';
import { invalidRequest, malformedXml } from '../errors.js';
import { crossLocationLogging, invalidTargetBucketForLogging, replicationConfigurationNotFound } from './errors.js';
import { bucketConfig, CONFIG, writeConfig } from './store.js';

/**
 * Settings S3 keeps and returns without Flint acting on them (no access logs are written, no requester is billed,
 * no accelerate endpoint exists), and the answers of a bucket without replication.
 */

const PAYERS: ReadonlySet<string> = new Set(['Requester', 'BucketOwner']);
const ACCELERATE: ReadonlySet<string> = new Set(['Enabled', 'Suspended']);

/** PutBucketLogging: the target must exist in the same region (test_put_bucket_logging_wrong_target, _cross_locations). */
export async function putBucketLogging(input: PutBucketLoggingRequest, { deps }: S3Context): Promise<void> {
  const bucket = await requireBucket(deps, input.Bucket);
  const enabled = input.BucketLoggingStatus?.LoggingEnabled;
  if (enabled) {
    if (enabled.TargetBucket === undefined || enabled.TargetPrefix === undefined) throw malformedXml();
    const target = await deps.objects.getBucket(enabled.TargetBucket);
    if (!target) throw invalidTargetBucketForLogging(enabled.TargetBucket);
    if (target.region !== bucket.region) throw crossLocationLogging(target.region);
  }
  await writeConfig(deps, bucket.name, CONFIG.logging, enabled);
}

export async function getBucketLogging(input: GetBucketLoggingRequest, { deps }: S3Context): Promise<GetBucketLoggingOutput> {
  const { value } = await bucketConfig<LoggingEnabled>(deps, input.Bucket, CONFIG.logging);
  return value ? { LoggingEnabled: value } : {};
}

export async function putBucketRequestPayment(input: PutBucketRequestPaymentRequest, { deps }: S3Context): Promise<void> {
  const bucket = await requireBucket(deps, input.Bucket);
  const payer = input.RequestPaymentConfiguration?.Payer;
  if (payer === undefined || !PAYERS.has(payer)) throw malformedXml();
  await writeConfig(deps, bucket.name, CONFIG.requestPayment, payer === 'BucketOwner' ? undefined : payer);
}

export async function getBucketRequestPayment(input: GetBucketRequestPaymentRequest, { deps }: S3Context): Promise<GetBucketRequestPaymentOutput> {
  const { value } = await bucketConfig<string>(deps, input.Bucket, CONFIG.requestPayment);
  return { Payer: value ?? 'BucketOwner' };
}

/** PutBucketAccelerateConfiguration (test_bucket_acceleration_configuration_exc words the refusals). */
export async function putBucketAccelerate(input: PutBucketAccelerateConfigurationRequest, { deps }: S3Context): Promise<void> {
  const bucket = await requireBucket(deps, input.Bucket);
  const status = input.AccelerateConfiguration?.Status;
  if (status === undefined || !ACCELERATE.has(status)) throw malformedXml();
  if (bucket.name.includes('.')) throw invalidRequest('S3 Transfer Acceleration is not supported for buckets with periods (.) in their names');
  await writeConfig(deps, bucket.name, CONFIG.accelerate, status);
}

/** A bucket never configured answers without a Status (test_bucket_acceleration_configuration_crud). */
export async function getBucketAccelerate(input: GetBucketAccelerateConfigurationRequest, { deps }: S3Context): Promise<GetBucketAccelerateConfigurationOutput> {
  const { value } = await bucketConfig<string>(deps, input.Bucket, CONFIG.accelerate);
  return value ? { Status: value } : {};
}

export async function getBucketReplication(input: GetBucketReplicationRequest, { deps }: S3Context): Promise<GetBucketReplicationOutput> {
  const bucket = await requireBucket(deps, input.Bucket);
  throw replicationConfigurationNotFound(bucket.name);
}

export async function deleteBucketReplication(input: DeleteBucketReplicationRequest, { deps }: S3Context): Promise<void> {
  await requireBucket(deps, input.Bucket);
}
