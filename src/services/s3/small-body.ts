import type { ServiceRequest } from '../../core/index.js';
import { AwsChunkedDecoder } from './chunked.js';
import { checksumHeader, digestOf } from './checksums.js';
import { badDigestChecksum, badDigestMd5, invalidRequest, maxMessageLengthExceeded } from './errors.js';
import { asBuffer, planBody } from './receive.js';

/** Request documents (Delete, CompleteMultipartUpload, configurations) are small; S3 caps them too. */
const SMALL_BODY_LIMIT = 2 * 1024 * 1024;

/**
 * Reads a small request body (an XML document) into memory before the kit parses it: aws-chunked framing decoded,
 * Content-MD5 and flexible checksums checked, and a digest required where the model says the operation needs
 * one (DeleteObjects).
 */
export async function readSmallBody(request: ServiceRequest, checksumRequired: boolean): Promise<Buffer> {
  if (checksumRequired && !hasDigest(request)) throw invalidRequest('Missing required header for this request: Content-MD5');
  const plan = planBody(request.headers);
  if ((plan.expectedSize ?? 0) > SMALL_BODY_LIMIT) throw maxMessageLengthExceeded();
  const decoder = plan.awsChunked ? new AwsChunkedDecoder() : undefined;
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of request.body) {
    for (const piece of decoder ? decoder.push(asBuffer(chunk)) : [asBuffer(chunk)]) {
      size += piece.length;
      if (size > SMALL_BODY_LIMIT) throw maxMessageLengthExceeded();
      parts.push(piece);
    }
  }
  decoder?.end();
  const body = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  if (plan.contentMd5 !== undefined) {
    const md5 = digestOf('MD5', body);
    if (md5 !== plan.contentMd5) throw badDigestMd5(plan.contentMd5, md5);
  }
  if (plan.checksum) {
    const name = checksumHeader(plan.checksum.algorithm);
    const expected = plan.checksum.inTrailer ? decoder?.trailers.get(name) : plan.checksum.expected;
    if (expected === undefined) throw invalidRequest(`Value for ${name} trailing header is invalid.`);
    if (digestOf(plan.checksum.algorithm, body) !== expected) throw badDigestChecksum(plan.checksum.algorithm);
  }
  return body;
}

function hasDigest(request: ServiceRequest): boolean {
  return request.headers['content-md5'] !== undefined || Object.keys(request.headers).some((name) => name.startsWith('x-amz-checksum-') || name === 'x-amz-trailer');
}
