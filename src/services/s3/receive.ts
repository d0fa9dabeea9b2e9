import type { IncomingHttpHeaders } from 'node:http';
import type { RequestBody } from '../../core/index.js';
import type { ChecksumAlgorithm, StagedBody } from '../../storage/index.js';
import { AwsChunkedDecoder } from './chunked.js';
import { algorithmNamed, CHECKSUM_ALGORITHMS, checksumHeader, createHasher, isDigestOf } from './checksums.js';
import type { S3Deps } from './context.js';
import { badDigestChecksum, badDigestMd5, entityTooLarge, incompleteBody, invalidDigest, invalidRequest } from './errors.js';

/** S3 takes at most 5 GiB in one PutObject or UploadPart. */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024 * 1024;

/** How a request body is framed and what digests it must match, read from its headers before the body. */
export interface BodyPlan {
  awsChunked: boolean;
  /** Bytes the payload must have (decoded, for aws-chunked), when the client said. */
  expectedSize?: number;
  contentMd5?: string;
  checksum?: { algorithm: ChecksumAlgorithm; expected?: string; inTrailer: boolean };
}

export interface ReceivedBody {
  staged: StagedBody;
  md5Hex: string;
  /** The verified flexible checksum, when the client sent one. */
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
}

/** The framing and digests of a request body, from headers the model does not describe (transport facts). */
export function planBody(headers: IncomingHttpHeaders): BodyPlan {
  const header = (name: string): string | undefined => first(headers[name]);
  const contentEncoding = header('content-encoding') ?? '';
  const awsChunked = contentEncoding.includes('aws-chunked') || (header('x-amz-content-sha256') ?? '').startsWith('STREAMING-');
  const plan: BodyPlan = { awsChunked };
  const declared = awsChunked ? header('x-amz-decoded-content-length') : header('content-length');
  if (declared !== undefined && /^\d+$/.test(declared)) plan.expectedSize = Number(declared);
  if (plan.expectedSize !== undefined && plan.expectedSize > MAX_UPLOAD_BYTES) throw entityTooLarge(plan.expectedSize, MAX_UPLOAD_BYTES);
  const md5 = header('content-md5');
  if (md5 !== undefined) {
    if (Buffer.from(md5, 'base64').length !== 16) throw invalidDigest(md5);
    plan.contentMd5 = md5;
  }
  const checksum = plannedChecksum(header);
  if (checksum) plan.checksum = checksum;
  return plan;
}

function plannedChecksum(header: (name: string) => string | undefined): BodyPlan['checksum'] {
  const given = CHECKSUM_ALGORITHMS.filter((algorithm) => header(checksumHeader(algorithm)) !== undefined);
  if (given.length > 1) throw invalidRequest('Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  const trailer = header('x-amz-trailer');
  const trailed = trailer === undefined ? undefined : algorithmNamed(trailer.trim());
  const sdkAlgorithm = header('x-amz-sdk-checksum-algorithm');
  if (given[0]) {
    const algorithm = given[0];
    const expected = header(checksumHeader(algorithm)) ?? '';
    if (!isDigestOf(algorithm, expected)) throw invalidRequest(`Value for ${checksumHeader(algorithm)} header is invalid.`);
    return { algorithm, expected, inTrailer: false };
  }
  if (trailed) return { algorithm: trailed, inTrailer: true };
  if (sdkAlgorithm !== undefined) {
    if (!algorithmNamed(sdkAlgorithm)) throw invalidRequest('Value for x-amz-sdk-checksum-algorithm header is invalid.');
    throw invalidRequest('x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.');
  }
  return undefined;
}

/**
 * Streams the request body into the store, decoding aws-chunked framing and hashing as it goes (MD5 for the
 * ETag, plus the flexible checksum the client asked for), then checks length and digests. Nothing that fails a
 * check is kept: the staged body is discarded before the error is thrown.
 */
export interface ReceiveOptions {
  /** A checksum to compute when the client sent none (a multipart upload's algorithm). */
  alsoCompute?: ChecksumAlgorithm;
  /**
   * PutObject's BadDigest gives the Content-MD5 it expected in hex, UploadPart's as sent (base64): test_s3.py
   * test_s3_invalid_content_md5, md5-error-bad-digest and upload-part-md5-bad-digest.
   */
  expectedMd5AsHex?: boolean;
}

export async function receiveBody(deps: S3Deps, body: RequestBody, plan: BodyPlan, options: ReceiveOptions = {}): Promise<ReceivedBody> {
  const md5 = createHasher('MD5');
  const algorithm = plan.checksum?.algorithm ?? options.alsoCompute;
  const hasher = algorithm && createHasher(algorithm);
  const decoder = plan.awsChunked ? new AwsChunkedDecoder() : undefined;
  let received = 0;
  async function* payload(): AsyncGenerator<Uint8Array> {
    for await (const chunk of body) {
      const pieces = decoder ? decoder.push(asBuffer(chunk)) : [chunk];
      for (const piece of pieces) {
        received += piece.length;
        // A body without a declared length is cut off at S3's limit rather than written to the end.
        if (received > MAX_UPLOAD_BYTES) throw entityTooLarge(received, MAX_UPLOAD_BYTES);
        md5.update(piece);
        hasher?.update(piece);
        yield piece;
      }
    }
    decoder?.end();
  }
  const staged = await deps.objects.writeBody(payload());
  try {
    if (plan.expectedSize !== undefined && staged.size !== plan.expectedSize) throw incompleteBody();
    const digest = md5.digest();
    if (plan.contentMd5 !== undefined && digest.toString('base64') !== plan.contentMd5) {
      const expected = options.expectedMd5AsHex ? Buffer.from(plan.contentMd5, 'base64').toString('hex') : plan.contentMd5;
      throw badDigestMd5(expected, digest.toString('base64'));
    }
    const received: ReceivedBody = { staged, md5Hex: digest.toString('hex') };
    if (plan.checksum && hasher) received.checksum = { algorithm: plan.checksum.algorithm, value: verified(plan.checksum, hasher.digest(), decoder) };
    else if (algorithm && hasher) received.checksum = { algorithm, value: hasher.digest().toString('base64') };
    return received;
  } catch (error) {
    await deps.objects.discardBody(staged);
    throw error;
  }
}

function verified(checksum: NonNullable<BodyPlan['checksum']>, digest: Buffer, decoder: AwsChunkedDecoder | undefined): string {
  const name = checksumHeader(checksum.algorithm);
  const expected = checksum.inTrailer ? decoder?.trailers.get(name) : checksum.expected;
  if (expected === undefined || !isDigestOf(checksum.algorithm, expected)) {
    throw invalidRequest(`Value for ${name} ${checksum.inTrailer ? 'trailing header' : 'header'} is invalid.`);
  }
  const actual = digest.toString('base64');
  if (actual !== expected) throw badDigestChecksum(checksum.algorithm);
  return actual;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Chunks from node's request are Buffers; a body built in process may hand plain Uint8Arrays. */
export function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}
