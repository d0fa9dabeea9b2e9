import { createHash } from 'node:crypto';
import type { ObjectStore, ObjectSummary } from '../../../storage/index.js';

/**
 * Exports and imports reach S3's buckets through the node's objects store, as S3 itself keeps them: what an export
 * writes is an ordinary object that GetObject and ListObjectsV2 return. S3's own API layer (event notifications,
 * bucket policies, encryption settings) is not involved.
 */

export function md5(bytes: Buffer): Buffer {
  return createHash('md5').update(bytes).digest();
}

/** Writes one object and returns its hex MD5 (its ETag, as S3 makes it for a single-part upload). */
export async function writeObject(objects: ObjectStore, bucket: string, key: string, bytes: Buffer, contentType?: string): Promise<string> {
  const body = await objects.writeBody((async function* () {
    yield bytes;
  })());
  const etag = md5(bytes).toString('hex');
  try {
    await objects.putObject({ bucket, key, body, etag, attributes: { metadata: {}, ...(contentType ? { contentType } : {}) } });
  } catch (error) {
    await objects.discardBody(body);
    throw error;
  }
  return etag;
}

/** Every object under a prefix, in key order. */
export async function* objectsUnder(objects: ObjectStore, bucket: string, prefix: string): AsyncGenerator<ObjectSummary> {
  let after: string | undefined;
  for (;;) {
    const page = await objects.listObjects(bucket, { prefix, after, limit: 1000 });
    yield* page.objects;
    if (!page.truncated || page.objects.length === 0) return;
    after = page.objects[page.objects.length - 1]!.key;
  }
}

/** An object's bytes, or undefined if it went away meanwhile. */
export async function readObject(objects: ObjectStore, bucket: string, key: string): Promise<Buffer | undefined> {
  const info = await objects.getObject(bucket, key);
  return info ? objects.readBody(info) : undefined;
}

/** How DynamoDB reports a bucket it cannot find, in FailureCode and FailureMessage (S3's NoSuchBucket). */
export const NO_SUCH_BUCKET = {
  code: 'S3NoSuchBucket',
  message: 'The specified bucket does not exist (Service: Amazon S3; Status Code: 404; Error Code: NoSuchBucket)',
};
