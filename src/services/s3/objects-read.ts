import { pipeline } from 'node:stream/promises';
import type { ByteRange, ObjectInfo } from '../../storage/index.js';
import { checksumHeaders, objectHeaders } from './attributes.js';
import { evaluateConditions, parseRange } from './conditions.js';
import { bucketOf, header, keyOf, type S3Call, type S3Deps } from './context.js';
import { invalidArgument, invalidRange, noSuchBucket, noSuchKey, preconditionFailed, s3Error } from './errors.js';
import { baseHeaders, sendEmpty } from './wire.js';

/** Reading a version that an overwrite retired between lookup and open is retried this often. */
const OPEN_ATTEMPTS = 3;
/** Bodies up to this size are read into memory and sent in one write; larger ones stream. */
const BUFFERED_READ_BYTES = 256 * 1024;
const MAX_PART_NUMBER = 10_000;

interface ReadPlan {
  object: ObjectInfo;
  status: 200 | 206;
  range?: ByteRange;
  headers: Record<string, string>;
}

export async function getObject(deps: S3Deps, call: S3Call): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const plan = await planRead(deps, call);
    if (!plan) return;
    const length = plan.range ? plan.range.end - plan.range.start + 1 : plan.object.size;
    const body = length <= BUFFERED_READ_BYTES ? await deps.objects.readBody(plan.object, plan.range) : await deps.objects.openBody(plan.object, plan.range);
    if (!body) {
      if (attempt < OPEN_ATTEMPTS) continue;
      throw noSuchKey(keyOf(call));
    }
    call.res.writeHead(plan.status, plan.headers);
    if (Buffer.isBuffer(body)) call.res.end(body);
    else await pipeline(body, call.res);
    return;
  }
}

export async function headObject(deps: S3Deps, call: S3Call): Promise<void> {
  const plan = await planRead(deps, call);
  if (!plan) return;
  call.res.writeHead(plan.status, plan.headers);
  call.res.end();
}

/** Looks the object up and settles conditionals, part and range; undefined when a 304 has been sent. */
async function planRead(deps: S3Deps, call: S3Call): Promise<ReadPlan | undefined> {
  checkVersionId(call);
  const object = await findObject(deps, call);
  const outcome = evaluateConditions(
    {
      ifMatch: header(call, 'if-match'),
      ifNoneMatch: header(call, 'if-none-match'),
      ifModifiedSince: header(call, 'if-modified-since'),
      ifUnmodifiedSince: header(call, 'if-unmodified-since'),
    },
    object.etag,
    object.lastModified,
  );
  if (outcome.kind === 'failed') throw preconditionFailed(outcome.condition);
  const headers = { ...baseHeaders(call), ...objectHeaders(object, call.query) };
  if (outcome.kind === 'not-modified') {
    sendEmpty(call, 304, { etag: headers.etag!, 'last-modified': headers['last-modified']! });
    return undefined;
  }
  const range = partRange(call, object, headers) ?? requestedRange(call, object);
  if (range) {
    headers['content-range'] = `bytes ${range.start}-${range.end}/${object.size}`;
    headers['content-length'] = String(range.end - range.start + 1);
    return { object, status: 206, range, headers };
  }
  headers['content-length'] = String(object.size);
  if (header(call, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED') Object.assign(headers, checksumHeaders(object.attributes.checksum));
  return { object, status: 200, headers };
}

async function findObject(deps: S3Deps, call: S3Call): Promise<ObjectInfo> {
  const object = await deps.objects.getObject(bucketOf(call), keyOf(call));
  if (object) return object;
  if (!(await deps.objects.getBucket(bucketOf(call)))) throw noSuchBucket(bucketOf(call));
  throw noSuchKey(keyOf(call));
}

/** GetObject/HeadObject with ?partNumber: the bytes of that part of a multipart object (part 1 of any other). */
function partRange(call: S3Call, object: ObjectInfo, headers: Record<string, string>): ByteRange | undefined {
  const value = call.query.get('partNumber');
  if (value === null) return undefined;
  const partNumber = Number(value);
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
    throw invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', value);
  }
  const sizes = object.partSizes ?? [object.size];
  if (partNumber > sizes.length) throw s3Error('INVALID_PARAMETER', 416, 'InvalidPartNumber', 'The requested partnumber is not satisfiable', { PartNumberRequested: partNumber, ActualPartCount: sizes.length });
  if (object.partSizes) headers['x-amz-mp-parts-count'] = String(sizes.length);
  const start = sizes.slice(0, partNumber - 1).reduce((sum, size) => sum + size, 0);
  const size = sizes[partNumber - 1]!;
  // An empty single-part object has no byte to range over: it is sent whole.
  return size === 0 ? undefined : { start, end: start + size - 1 };
}

function requestedRange(call: S3Call, object: ObjectInfo): ByteRange | undefined {
  const value = header(call, 'range');
  const range = parseRange(value, object.size);
  if (range === 'unsatisfiable') throw invalidRange(value ?? '', object.size);
  return range;
}

/** Flint's buckets are unversioned: the only version there is, is "null". */
export function checkVersionId(call: S3Call): void {
  const versionId = call.query.get('versionId');
  if (versionId !== null && versionId !== 'null') throw invalidArgument('Invalid version id specified', 'versionId', versionId);
}
