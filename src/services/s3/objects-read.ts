import type { Readable } from 'node:stream';
import { reply, type Reply } from '../../protocol/index.js';
import type { BucketInfo, ByteRange, ObjectInfo } from '../../storage/index.js';
import type { GetObjectOutput, GetObjectRequest, HeadObjectOutput, HeadObjectRequest } from './api.js';
import { checksumMembers, objectOutput } from './attributes.js';
import { requireBucketOf } from './buckets.js';
import { evaluateConditions, parseRange } from './conditions.js';
import type { S3Context } from './context.js';
import { invalidArgument, invalidPartNumber, invalidRange, noSuchKey, preconditionFailed } from './errors.js';
import { text } from './format.js';
import { lockMembers } from './object-lock/index.js';
import { checkReadable } from './storage-class.js';
import { findVersion, reportedVersionId } from './versioning.js';

/** Reading a version that an overwrite retired between lookup and open is retried this often. */
const OPEN_ATTEMPTS = 3;
/** Bodies up to this size are read into memory and sent in one write; larger ones stream. */
const BUFFERED_READ_BYTES = 256 * 1024;
const MAX_PART_NUMBER = 10_000;

type ReadRequest = GetObjectRequest | HeadObjectRequest;

/** What to send: the object, the status (200, 206) and the output; or a 304 already decided. */
type ReadPlan = { object: ObjectInfo; status: 200 | 206; range?: ByteRange; output: GetObjectOutput } | { notModified: Reply<GetObjectOutput> };

export async function getObject(input: GetObjectRequest, context: S3Context): Promise<GetObjectOutput | Reply<GetObjectOutput>> {
  const { deps } = context;
  for (let attempt = 1; ; attempt++) {
    const plan = await planRead(context, input, 'GET');
    if ('notModified' in plan) return plan.notModified;
    const length = plan.range ? plan.range.end - plan.range.start + 1 : plan.object.size;
    // Small bodies are sent from memory; large ones stream from their file, never read whole.
    const body: Buffer | Readable | undefined = length <= BUFFERED_READ_BYTES ? await deps.objects.readBody(plan.object, plan.range) : await deps.objects.openBody(plan.object, plan.range);
    if (!body) {
      if (attempt < OPEN_ATTEMPTS) continue;
      throw noSuchKey(input.Key);
    }
    const output = { ...plan.output, Body: body };
    return plan.status === 206 ? reply(output, { status: 206 }) : output;
  }
}

export async function headObject(input: HeadObjectRequest, context: S3Context): Promise<HeadObjectOutput | Reply<HeadObjectOutput>> {
  const plan = await planRead(context, input, 'HEAD');
  if ('notModified' in plan) return plan.notModified;
  return plan.status === 206 ? reply(plan.output, { status: 206 }) : plan.output;
}

/** Looks the object up and settles conditionals, part and range. */
async function planRead(context: S3Context, input: ReadRequest, method: string): Promise<ReadPlan> {
  const { deps } = context;
  const bucket = await requireBucketOf(context, input.Bucket);
  const object = await findVersion(deps, bucket, input.Key, input.VersionId, method);
  if (method === 'GET') checkReadable(object);
  const outcome = evaluateConditions(
    { ifMatch: input.IfMatch, ifNoneMatch: input.IfNoneMatch, ifModifiedSince: text(input.IfModifiedSince), ifUnmodifiedSince: text(input.IfUnmodifiedSince) },
    object.etag,
    object.lastModified,
  );
  if (outcome.kind === 'failed') throw preconditionFailed(outcome.condition);
  const output = objectOutput(object, input);
  Object.assign(output, versionMembers(bucket, object), lockMembers(object));
  // S3 sends x-amz-storage-class only for classes other than STANDARD (API reference, HeadObject).
  if (object.attributes.storageClass) output.StorageClass = object.attributes.storageClass;
  if (outcome.kind === 'not-modified') return { notModified: reply({ ETag: output.ETag, LastModified: output.LastModified }, { status: 304 }) };
  const range = partRange(input, object, output) ?? requestedRange(input, object);
  if (range) {
    output.ContentRange = `bytes ${range.start}-${range.end}/${object.size}`;
    output.ContentLength = range.end - range.start + 1;
    return { object, status: 206, range, output };
  }
  output.ContentLength = object.size;
  if (input.ChecksumMode?.toUpperCase() === 'ENABLED') Object.assign(output, checksumMembers(object.attributes.checksum));
  return { object, status: 200, output };
}

/** x-amz-version-id and x-amz-tagging-count, as GET and HEAD send them. */
function versionMembers(bucket: BucketInfo, object: ObjectInfo): Pick<GetObjectOutput, 'VersionId' | 'TagCount'> {
  const members: Pick<GetObjectOutput, 'VersionId' | 'TagCount'> = {};
  const versionId = reportedVersionId(bucket, object.versionId);
  if (versionId !== undefined) members.VersionId = versionId;
  const tags = object.attributes.tags?.length ?? 0;
  if (tags > 0) members.TagCount = tags;
  return members;
}

/** GetObject/HeadObject with ?partNumber: the bytes of that part of a multipart object (part 1 of any other). */
function partRange(input: ReadRequest, object: ObjectInfo, output: GetObjectOutput): ByteRange | undefined {
  const value = text(input.PartNumber);
  if (value === undefined) return undefined;
  const partNumber = Number(value);
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
    throw invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', value);
  }
  const sizes = object.partSizes ?? [object.size];
  if (partNumber > sizes.length) throw invalidPartNumber(partNumber, sizes.length);
  if (object.partSizes) output.PartsCount = sizes.length;
  const start = sizes.slice(0, partNumber - 1).reduce((sum, size) => sum + size, 0);
  const size = sizes[partNumber - 1]!;
  // An empty single-part object has no byte to range over: it is sent whole.
  return size === 0 ? undefined : { start, end: start + size - 1 };
}

function requestedRange(input: ReadRequest, object: ObjectInfo): ByteRange | undefined {
  const range = parseRange(input.Range, object.size);
  if (range === 'unsatisfiable') throw invalidRange(input.Range ?? '', object.size);
  return range;
}
