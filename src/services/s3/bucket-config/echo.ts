import { Reply, reply, type Handler } from '../../../protocol/index.js';
import type { BucketInfo } from '../../../storage/index.js';
import type { S3Context } from '../context.js';
import { checkEncryptionRequest, encryptionEcho, type EncryptionRequest } from './encryption.js';
import { lifecycleRules } from './lifecycle.js';
import { earliestExpiry, expirationHeader } from './lifecycle-rules.js';

/** The members of an object operation's input and output this reads and sets. */
interface ObjectInput extends EncryptionRequest {
  Bucket: string;
  Key?: string;
}
interface ObjectOutput {
  ServerSideEncryption?: string;
  SSEKMSKeyId?: string;
  BucketKeyEnabled?: boolean;
  Expiration?: string;
  LastModified?: Date;
  ContentLength?: number;
  Size?: number;
}

/** How an object operation echoes the bucket's settings. */
export interface EchoOptions {
  /** Writes take x-amz-server-side-encryption headers; reads report the bucket's default. */
  writes: boolean;
  /** Answers carrying x-amz-expiration for an object a lifecycle rule will expire. */
  expiration: boolean;
}

/**
 * An object operation that answers with what the bucket's configuration says about the object, as S3 does:
 * x-amz-server-side-encryption (and the KMS key) from the request or the bucket's default encryption, and
 * x-amz-expiration from its lifecycle rules (test_bucket_lifecycle_configuration_object_expiry, test_s3_bucket_encryption_sse_kms).
 */
export function withBucketEcho<I extends ObjectInput, O extends ObjectOutput>(handler: Handler<I, O, S3Context>, options: EchoOptions): Handler<I, O, S3Context> {
  return async (input, context) => {
    if (options.writes) checkEncryptionRequest(input);
    const result = await handler(input, context);
    if (result === undefined) return result;
    const bucket = await context.buckets.get(input.Bucket);
    if (!bucket) return result;
    const output = result instanceof Reply ? (result.output as O) : (result as O);
    const echoed = { ...output, ...encryptionEcho(context.deps, bucket, options.writes ? input : {}) } as O;
    if (options.expiration && input.Key !== undefined) echoed.Expiration = expirationOf(bucket, input.Key, output, context.deps.clock.now());
    return result instanceof Reply ? reply(echoed, result.extras) : echoed;
  };
}

function expirationOf(bucket: BucketInfo, key: string, output: ObjectOutput, now: number): string | undefined {
  const rules = lifecycleRules(bucket.configs);
  if (!rules) return output.Expiration;
  const object = { key, size: output.ContentLength ?? output.Size ?? 0, etag: '', lastModified: output.LastModified?.getTime() ?? now };
  const expiry = earliestExpiry(rules, object, undefined);
  return expiry ? expirationHeader(expiry) : output.Expiration;
}
