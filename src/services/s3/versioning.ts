import { isVersionId, type BucketInfo, type ObjectInfo } from '../../storage/index.js';
import type { GetBucketVersioningOutput, GetBucketVersioningRequest, PutBucketVersioningRequest } from './api.js';
import { requireBucket } from './buckets.js';
import type { S3Context, S3Deps } from './context.js';
import { illegalVersioningConfiguration, invalidArgument, malformedXml, methodNotAllowed, noSuchKey, noSuchVersion, notImplemented } from './errors.js';
import { seconds } from './format.js';

/** Where a request names a version: S3 words a bad one with this argument name. */
type VersionArgument = 'versionId' | 'version-id-marker';

/**
 * PutBucketVersioning: Enabled or Suspended, spelled exactly so (S3 answers "enabled" or "Disabled" with
 * MalformedXML; a configuration without a Status with IllegalVersioningConfigurationException — test_s3_api.py
 * test_bucket_versioning_crud). MFA delete needs an MFA device Flint does not have: enabling it is refused.
 */
export async function putBucketVersioning(input: PutBucketVersioningRequest, { deps }: S3Context): Promise<void> {
  const config = input.VersioningConfiguration;
  const status = config?.Status;
  const mfaDelete = config?.MFADelete;
  if (status === undefined && mfaDelete === undefined) throw illegalVersioningConfiguration();
  if (status !== undefined && status !== 'Enabled' && status !== 'Suspended') throw malformedXml();
  if (mfaDelete !== undefined && mfaDelete !== 'Enabled' && mfaDelete !== 'Disabled') throw malformedXml();
  if (mfaDelete === 'Enabled') throw notImplemented('x-amz-mfa');
  const bucket = await requireBucket(deps, input.Bucket);
  if (status !== undefined) await deps.objects.setBucketVersioning(bucket.name, status);
  if (mfaDelete !== undefined) await deps.objects.setBucketConfig(bucket.name, MFA_DELETE_CONFIG, mfaDelete);
}

/** A bucket that was never versioned answers an empty configuration; MFADelete once it was set. */
export async function getBucketVersioning(input: GetBucketVersioningRequest, { deps }: S3Context): Promise<GetBucketVersioningOutput> {
  const bucket = await requireBucket(deps, input.Bucket);
  return { Status: bucket.versioning, MFADelete: bucket.configs[MFA_DELETE_CONFIG] };
}

const MFA_DELETE_CONFIG = 'versioning-mfa-delete';

/**
 * The version id S3 reports for a version: none in a bucket that was never versioned, "null" for a null version in
 * one that was (test_s3.py test_s3_put_object_versioned: get-pre-versioned has none, get-post-versioned has one).
 */
export function reportedVersionId(bucket: BucketInfo, versionId: string | undefined): string | undefined {
  if (versionId !== undefined) return versionId;
  return bucket.versioning ? 'null' : undefined;
}

/**
 * A version id given by a request: "null" always names the null version; any other is invalid in a bucket that was
 * never versioned (test_get_object_with_version_unversioned_bucket) or when it is not one Flint could have made
 * (test_delete_object_versioned: delete-with-bad-version).
 */
export function checkVersionId(bucket: BucketInfo, versionId: string | undefined, argument: VersionArgument = 'versionId'): void {
  if (versionId === undefined || versionId === 'null') return;
  if (!bucket.versioning || !isVersionId(versionId)) throw invalidArgument('Invalid version id specified', argument, versionId);
}

/**
 * The version a read or a change names, as S3 resolves it: without a version id the latest, with one that version
 * (NoSuchVersion). A delete marker named by id refuses the method (405, test_delete_object_versioned
 * get-delete-marker); a latest one answers NoSuchKey with x-amz-delete-marker for GET, HEAD and GetObjectAcl, but
 * 405 for the tagging operations and PutObjectAcl (`latestMarker`; test_object_tagging_versioned,
 * test_put_object_acl_on_delete_marker).
 */
export async function findVersion(
  deps: S3Deps,
  bucket: BucketInfo,
  key: string,
  versionId: string | undefined,
  method: string,
  latestMarker: 'NoSuchKey' | 'MethodNotAllowed' = 'NoSuchKey',
): Promise<ObjectInfo> {
  checkVersionId(bucket, versionId);
  // An unversioned bucket holds only null versions: "null" names the latest.
  const named = versionId === 'null' && !bucket.versioning ? undefined : versionId;
  const object = await deps.objects.getVersion(bucket.name, key, named);
  if (!object) throw named === undefined ? noSuchKey(key) : noSuchVersion(key, named);
  if (!object.deleteMarker) return object;
  const headers = markerHeaders(bucket, object);
  if (named === undefined && latestMarker === 'NoSuchKey') throw noSuchKey(key, headers);
  throw methodNotAllowed(method, 'DeleteMarker', headers);
}

/** What S3 sends with an answer about a delete marker. */
export function markerHeaders(bucket: BucketInfo, marker: ObjectInfo): Record<string, string> {
  return {
    'x-amz-delete-marker': 'true',
    'x-amz-version-id': reportedVersionId(bucket, marker.versionId) ?? 'null',
    'last-modified': seconds(marker.lastModified).toUTCString(),
  };
}
