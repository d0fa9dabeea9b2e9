import { z } from 'zod';
import type { BucketInfo } from '../../storage/index.js';
import { requireBucket } from './buckets.js';
import { header, keyOf, type S3Call, type S3Deps } from './context.js';
import { invalidRequest, malformedXml, toWireError } from './errors.js';
import { checkVersionId } from './objects-read.js';
import { checkKey } from './objects-write.js';
import { readSmallBody } from './small-body.js';
import { el, readXml, wrap, xmlDocument, xmlList, xmlObject } from './xml.js';
import { sendEmpty, sendXml } from './wire.js';

const MAX_KEYS_PER_DELETE = 1000;

const deleteSchema = xmlObject({
  Quiet: z.string().optional(),
  Object: xmlList(z.object({ Key: z.string(), VersionId: z.string().optional() })),
});

export async function deleteObject(deps: S3Deps, call: S3Call): Promise<void> {
  checkVersionId(call);
  const bucket = await requireBucket(deps, call);
  await removeOne(deps, call, bucket, keyOf(call));
  sendEmpty(call, 204);
}

export async function deleteObjects(deps: S3Deps, call: S3Call): Promise<void> {
  const bucket = await requireBucket(deps, call);
  if (header(call, 'content-md5') === undefined && !Object.keys(call.headers).some((name) => name.startsWith('x-amz-checksum-') || name === 'x-amz-trailer')) {
    throw invalidRequest('Missing required header for this request: Content-MD5');
  }
  const { root, value } = readXml(await readSmallBody(call));
  const parsed = deleteSchema.safeParse(value);
  if (root !== 'Delete' || !parsed.success) throw malformedXml();
  const { Object: targets, Quiet } = parsed.data;
  if (targets.length === 0 || targets.length > MAX_KEYS_PER_DELETE) throw malformedXml();
  const quiet = Quiet?.trim().toLowerCase() === 'true';
  const results: string[] = [];
  for (const target of targets) {
    try {
      checkKey(target.Key);
      if (target.VersionId !== undefined && target.VersionId !== 'null') throw invalidRequest('Invalid version id specified');
      await removeOne(deps, call, bucket, target.Key);
      if (!quiet) results.push(wrap('Deleted', el('Key', target.Key) + el('VersionId', target.VersionId)));
    } catch (error) {
      const wire = toWireError(error);
      if (wire.status >= 500) throw error;
      results.push(wrap('Error', el('Key', target.Key) + el('VersionId', target.VersionId) + el('Code', wire.code) + el('Message', wire.message)));
    }
  }
  sendXml(call, 200, xmlDocument('DeleteResult', results.join('')));
}

async function removeOne(deps: S3Deps, call: S3Call, bucket: BucketInfo, key: string): Promise<void> {
  const { deleted, sequence } = await deps.objects.deleteObject(bucket.name, key);
  if (deleted) await deps.notifier.notify(bucket, call, { name: 'ObjectRemoved:Delete', key, sequence });
}
