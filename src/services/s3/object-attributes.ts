import type { Checksum, GetObjectAttributesOutput, GetObjectAttributesRequest } from './api.js';
import { checksumMembers } from './attributes.js';
import { requireBucketOf } from './buckets.js';
import type { S3Context } from './context.js';
import { invalidArgument } from './errors.js';
import { findVersion, reportedVersionId } from './versioning.js';

/** The attributes x-amz-object-attributes may name (the model's ObjectAttributes enum). */
const ATTRIBUTES: ReadonlySet<string> = new Set(['ETag', 'Checksum', 'ObjectParts', 'StorageClass', 'ObjectSize']);

/**
 * GetObjectAttributes: only the attributes the request names, as LocalStack's recordings of S3 show them
 * (tests/aws/services/s3/test_s3.snapshot.json, test_get_object_attributes and _versioned): the ETag without quotes,
 * StorageClass STANDARD (Flint keeps every object in one class), ObjectParts with TotalPartsCount only for an object
 * completed from a multipart upload, Checksum only for an object stored with one; Last-Modified and the version id as
 * headers. A key whose latest version is a delete marker is NoSuchKey, as GetObject answers.
 */
export async function getObjectAttributes(input: GetObjectAttributesRequest, context: S3Context): Promise<GetObjectAttributesOutput> {
  const wanted = requestedAttributes(input.ObjectAttributes);
  const bucket = await requireBucketOf(context, input.Bucket);
  const object = await findVersion(context.deps, bucket, input.Key, input.VersionId, 'GET');
  const output: GetObjectAttributesOutput = { LastModified: new Date(Math.floor(object.lastModified / 1000) * 1000) };
  const versionId = reportedVersionId(bucket, object.versionId);
  if (versionId !== undefined) output.VersionId = versionId;
  if (wanted.has('ETag')) output.ETag = object.etag;
  if (wanted.has('Checksum') && object.attributes.checksum) output.Checksum = checksumMembers(object.attributes.checksum) as Checksum;
  const parts = partCount(object.etag);
  if (wanted.has('ObjectParts') && parts !== undefined) output.ObjectParts = { TotalPartsCount: parts };
  if (wanted.has('StorageClass')) output.StorageClass = 'STANDARD';
  if (wanted.has('ObjectSize')) output.ObjectSize = object.size;
  return output;
}

/** The header's names, spaces around commas allowed (test_get_object_attributes_with_space); unknown ones refused. */
function requestedAttributes(names: readonly string[] | undefined): ReadonlySet<string> {
  const wanted = new Set((names ?? []).flatMap((name) => name.split(',')).map((name) => name.trim()).filter((name) => name !== ''));
  if (wanted.size === 0) throw invalidArgument('Invalid attribute name specified.', 'x-amz-object-attributes', '');
  for (const name of wanted) if (!ATTRIBUTES.has(name)) throw invalidArgument('Invalid attribute name specified.', 'x-amz-object-attributes', name);
  return wanted;
}

/** An ETag "<md5>-<n>" is an object completed from n parts. */
function partCount(etag: string): number | undefined {
  const dash = etag.lastIndexOf('-');
  if (dash < 0) return undefined;
  const parts = Number(etag.slice(dash + 1));
  return Number.isInteger(parts) && parts > 0 ? parts : undefined;
}
