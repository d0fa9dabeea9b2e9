import { isFlintError } from '../../core/index.js';
import { AwsError } from '../../protocol/index.js';
import { isVersionId, type BucketInfo, type DeleteResult } from '../../storage/index.js';
import type { DeletedObject, DeleteObjectOutput, DeleteObjectRequest, DeleteObjectsOutput, DeleteObjectsRequest, ObjectIdentifier } from './api.js';
import { requireBucket } from './buckets.js';
import { handOverEvents, type S3Call, type S3Context, type S3Deps } from './context.js';
import { fromFlintError, invalidRequest, malformedXml, noSuchVersion } from './errors.js';
import { bypassOf, checkDeletable, isLockEnabled } from './object-lock/index.js';
import { checkKey } from './objects-write.js';
import { checkVersionId, reportedVersionId } from './versioning.js';

const MAX_KEYS_PER_DELETE = 1000;

/**
 * DELETE as S3 does it: in a versioned bucket, without a version id it adds a delete marker (x-amz-delete-marker and
 * the marker's version id); with one it removes that version for good, saying whether it was a marker
 * (test_s3_api.py test_delete_object_versioned).
 */
export async function deleteObject(input: DeleteObjectRequest, { deps, call }: S3Context): Promise<DeleteObjectOutput> {
  const bucket = await requireBucket(deps, input.Bucket);
  checkVersionId(bucket, input.VersionId);
  const bypass = bypassOf(bucket, input.BypassGovernanceRetention);
  const result = await removeOne(deps, call, bucket, input.Key, input.VersionId, bypass);
  if (input.VersionId !== undefined) {
    const output: DeleteObjectOutput = { VersionId: reportedVersionId(bucket, input.VersionId === 'null' ? undefined : input.VersionId) };
    if (result.deleted?.deleteMarker) output.DeleteMarker = true;
    return output;
  }
  if (!result.marker) return {};
  return { DeleteMarker: true, VersionId: reportedVersionId(bucket, result.marker.versionId) };
}

/** DeleteObjects: each key succeeds or fails on its own; only a failure of Flint itself fails the request. */
export async function deleteObjects(input: DeleteObjectsRequest, { deps, call }: S3Context): Promise<DeleteObjectsOutput> {
  const bucket = await requireBucket(deps, input.Bucket);
  const targets = input.Delete?.Objects ?? [];
  if (targets.length === 0 || targets.length > MAX_KEYS_PER_DELETE || targets.some((target) => target.Key === undefined)) throw malformedXml();
  const bypass = bypassOf(bucket, input.BypassGovernanceRetention);
  const output: Required<Pick<DeleteObjectsOutput, 'Deleted' | 'Errors'>> = { Deleted: [], Errors: [] };
  for (const target of targets) {
    try {
      checkKey(target.Key);
      checkTargetVersion(bucket, target);
      const result = await removeOne(deps, call, bucket, target.Key, target.VersionId, bypass);
      if (!input.Delete.Quiet) output.Deleted.push(deletedEntry(bucket, target, result));
    } catch (error) {
      const wire = error instanceof AwsError ? error : isFlintError(error) ? fromFlintError(error) : undefined;
      if (!wire || wire.status >= 500) throw error;
      output.Errors.push({ Key: target.Key, VersionId: target.VersionId, Code: wire.awsCode, Message: wire.message });
    }
  }
  return output;
}

/**
 * A version id in DeleteObjects: one that cannot name a version of a versioned bucket is NoSuchVersion there
 * (test_s3_api.py test_delete_objects_versioned: delete-objects-wrong-version-id); an unversioned bucket has only "null".
 */
function checkTargetVersion(bucket: BucketInfo, target: ObjectIdentifier): void {
  const versionId = target.VersionId;
  if (versionId === undefined || versionId === 'null') return;
  if (!bucket.versioning) throw invalidRequest('Invalid version id specified');
  if (!isVersionId(versionId)) throw noSuchVersion(target.Key, versionId);
}

/** A Deleted element: the version removed (and whether it was a marker), or the marker added. */
function deletedEntry(bucket: BucketInfo, target: ObjectIdentifier, result: DeleteResult): DeletedObject {
  const entry: DeletedObject = { Key: target.Key, VersionId: target.VersionId };
  if (target.VersionId !== undefined && result.deleted?.deleteMarker) {
    entry.DeleteMarker = true;
    entry.DeleteMarkerVersionId = target.VersionId;
  } else if (result.marker) {
    entry.DeleteMarker = true;
    entry.DeleteMarkerVersionId = reportedVersionId(bucket, result.marker.versionId);
  }
  return entry;
}

/**
 * Deletes and commits the notification events with the delete: ObjectRemoved:DeleteMarkerCreated when a marker is
 * added, ObjectRemoved:Delete when a version goes for good.
 */
async function removeOne(deps: S3Deps, call: S3Call, bucket: BucketInfo, key: string, versionId: string | undefined, bypass: boolean): Promise<DeleteResult> {
  const addsMarker = versionId === undefined && bucket.versioning !== undefined;
  const named = versionId === 'null' && !bucket.versioning ? undefined : versionId;
  if (named !== undefined && isLockEnabled(bucket)) await checkUnlocked(deps, bucket, key, named, bypass);
  const plan = deps.notifier.plan<DeleteResult>(bucket, call, addsMarker ? 'ObjectRemoved:DeleteMarkerCreated' : 'ObjectRemoved:Delete', key);
  const result = await deps.objects.deleteObject(bucket.name, key, { versionId: named, outbox: plan?.outbox });
  if (result.deleted || result.marker) await handOverEvents(deps, plan);
  return result;
}

/**
 * Object lock (WORM): a version removed for good by its id must not be under legal hold or retention
 * (object-lock/worm.ts checkDeletable). A delete without a version id only adds a marker, which S3 allows on a locked
 * object (test_s3.py test_s3_object_retention_compliance_mode put-delete-marker).
 */
async function checkUnlocked(deps: S3Deps, bucket: BucketInfo, key: string, versionId: string, bypass: boolean): Promise<void> {
  const version = await deps.objects.getVersion(bucket.name, key, versionId);
  if (version && !version.deleteMarker) checkDeletable(version, bypass, deps.clock.now());
}
