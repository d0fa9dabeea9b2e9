import type { Readable } from 'node:stream';
import { isVersionId, type BucketInfo, type ByteRange, type ChecksumAlgorithm, type ObjectInfo, type StagedBody } from '../../storage/index.js';
import { createHasher } from './checksums.js';
import { evaluateConditions } from './conditions.js';
import type { CopyObjectRequest } from './api.js';
import type { S3Deps } from './context.js';
import { text } from './format.js';
import { invalidArgument, invalidRequest, noSuchBucket, noSuchKey, noSuchVersion, preconditionFailed } from './errors.js';

export interface CopySource {
  bucket: string;
  key: string;
  /** The ?versionId= of x-amz-copy-source. */
  versionId?: string;
}

export interface CopiedBody {
  staged: StagedBody;
  md5Hex: string;
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
}

const COPY_SOURCE_INVALID = 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey';

/** x-amz-copy-source: "bucket/key" or "/bucket/key", URL-encoded, optionally "?versionId=...". */
export function parseCopySource(value: string): CopySource {
  const [path = '', query = ''] = value.split('?', 2);
  const versionId = new URLSearchParams(query).get('versionId');
  let decoded: string;
  try {
    decoded = decodeURIComponent(path.startsWith('/') ? path.slice(1) : path);
  } catch {
    throw invalidArgument(COPY_SOURCE_INVALID, 'x-amz-copy-source', value);
  }
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) throw invalidArgument(COPY_SOURCE_INVALID, 'x-amz-copy-source', value);
  const source: CopySource = { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1) };
  if (versionId !== null) source.versionId = versionId;
  return source;
}

/** The copy source members CopyObject and UploadPartCopy share. */
export type CopySourceInput = Pick<CopyObjectRequest, 'CopySource' | 'CopySourceIfMatch' | 'CopySourceIfNoneMatch' | 'CopySourceIfModifiedSince' | 'CopySourceIfUnmodifiedSince'>;

/** The source object of CopyObject/UploadPartCopy, after its x-amz-copy-source-if-* conditions held. */
export async function resolveCopySource(deps: S3Deps, input: CopySourceInput): Promise<{ source: CopySource; object: ObjectInfo; sourceBucket: BucketInfo }> {
  const source = parseCopySource(input.CopySource);
  const sourceBucket = await deps.objects.getBucket(source.bucket);
  if (!sourceBucket) throw noSuchBucket(source.bucket);
  const object = await sourceVersion(deps, sourceBucket, source, input.CopySource);
  const outcome = evaluateConditions(
    {
      ifMatch: input.CopySourceIfMatch,
      ifNoneMatch: input.CopySourceIfNoneMatch,
      ifModifiedSince: text(input.CopySourceIfModifiedSince),
      ifUnmodifiedSince: text(input.CopySourceIfUnmodifiedSince),
    },
    object.etag,
    object.lastModified,
  );
  if (outcome.kind === 'failed') throw preconditionFailed(`x-amz-copy-source-${outcome.condition}`);
  if (outcome.kind === 'not-modified') {
    const condition = input.CopySourceIfNoneMatch !== undefined ? 'If-None-Match' : 'If-Modified-Since';
    throw preconditionFailed(`x-amz-copy-source-${condition}`);
  }
  return { source, object, sourceBucket };
}

/**
 * The version x-amz-copy-source names: its latest (NoSuchKey when that is a delete marker), or the one its
 * ?versionId= names, which must not be a delete marker (S3 API reference, CopyObject: "you can't specify a delete
 * marker as the source").
 */
async function sourceVersion(deps: S3Deps, bucket: BucketInfo, source: CopySource, header: string): Promise<ObjectInfo> {
  const versionId = source.versionId;
  if (versionId !== undefined && versionId !== 'null' && (!bucket.versioning || !isVersionId(versionId))) {
    throw invalidArgument('Invalid version id specified', 'x-amz-copy-source', header);
  }
  const named = versionId === 'null' && !bucket.versioning ? undefined : versionId;
  const object = await deps.objects.getVersion(bucket.name, source.key, named);
  if (!object) throw named === undefined ? noSuchKey(source.key) : noSuchVersion(source.key, named);
  if (object.deleteMarker) {
    if (named === undefined) throw noSuchKey(source.key);
    throw invalidRequest('The source of a copy request may not specifically refer to a delete marker by version id.');
  }
  return object;
}

/** Streams (a range of) the source's bytes into a new staged body, hashing MD5 and an optional checksum. */
export async function copyBytes(deps: S3Deps, object: ObjectInfo, range: ByteRange | undefined, algorithm: ChecksumAlgorithm | undefined): Promise<CopiedBody> {
  const body: Readable | undefined = await deps.objects.openBody(object, range);
  if (!body) throw invalidRequest('The source object was replaced during the copy; please retry.');
  const md5 = createHasher('MD5');
  const hasher = algorithm && createHasher(algorithm);
  async function* hashed(): AsyncGenerator<Uint8Array> {
    for await (const chunk of body!) {
      md5.update(chunk as Buffer);
      hasher?.update(chunk as Buffer);
      yield chunk as Buffer;
    }
  }
  const staged = await deps.objects.writeBody(hashed());
  const copied: CopiedBody = { staged, md5Hex: md5.digest().toString('hex') };
  if (algorithm && hasher) copied.checksum = { algorithm, value: hasher.digest().toString('base64') };
  return copied;
}
