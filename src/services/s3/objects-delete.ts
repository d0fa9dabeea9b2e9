import { isFlintError } from '../../core/index.js';
import { AwsError } from '../../protocol/index.js';
import type { BucketInfo, DeleteResult } from '../../storage/index.js';
import type { DeleteObjectRequest, DeleteObjectsOutput, DeleteObjectsRequest } from './api.js';
import { requireBucket } from './buckets.js';
import { handOverEvents, type S3Call, type S3Context, type S3Deps } from './context.js';
import { fromFlintError, invalidRequest, malformedXml } from './errors.js';
import { checkVersionId } from './objects-read.js';
import { checkKey } from './objects-write.js';

const MAX_KEYS_PER_DELETE = 1000;

export async function deleteObject(input: DeleteObjectRequest, { deps, call }: S3Context): Promise<void> {
  checkVersionId(input.VersionId);
  const bucket = await requireBucket(deps, input.Bucket);
  await removeOne(deps, call, bucket, input.Key);
}

/** DeleteObjects: each key succeeds or fails on its own; only a failure of Flint itself fails the request. */
export async function deleteObjects(input: DeleteObjectsRequest, { deps, call }: S3Context): Promise<DeleteObjectsOutput> {
  const bucket = await requireBucket(deps, input.Bucket);
  const targets = input.Delete?.Objects ?? [];
  if (targets.length === 0 || targets.length > MAX_KEYS_PER_DELETE || targets.some((target) => target.Key === undefined)) throw malformedXml();
  const output: Required<Pick<DeleteObjectsOutput, 'Deleted' | 'Errors'>> = { Deleted: [], Errors: [] };
  for (const target of targets) {
    try {
      checkKey(target.Key);
      if (target.VersionId !== undefined && target.VersionId !== 'null') throw invalidRequest('Invalid version id specified');
      await removeOne(deps, call, bucket, target.Key);
      if (!input.Delete.Quiet) output.Deleted.push({ Key: target.Key, VersionId: target.VersionId });
    } catch (error) {
      const wire = error instanceof AwsError ? error : isFlintError(error) ? fromFlintError(error) : undefined;
      if (!wire || wire.status >= 500) throw error;
      output.Errors.push({ Key: target.Key, VersionId: target.VersionId, Code: wire.awsCode, Message: wire.message });
    }
  }
  return output;
}

async function removeOne(deps: S3Deps, call: S3Call, bucket: BucketInfo, key: string): Promise<void> {
  const plan = deps.notifier.plan<DeleteResult>(bucket, call, 'ObjectRemoved:Delete', key);
  const { deleted } = await deps.objects.deleteObject(bucket.name, key, { outbox: plan?.outbox });
  if (deleted) await handOverEvents(deps, plan);
}
