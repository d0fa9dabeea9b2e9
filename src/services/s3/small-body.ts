import { AwsChunkedDecoder } from './chunked.js';
import { checksumHeader, digestOf } from './checksums.js';
import { bodyChunks, type S3Call } from './context.js';
import { badDigestChecksum, badDigestMd5, invalidRequest, s3Error } from './errors.js';
import { planBody } from './receive.js';

/** Request documents (Delete, CompleteMultipartUpload, configurations) are small; S3 caps them too. */
const SMALL_BODY_LIMIT = 2 * 1024 * 1024;

const tooBig = () => s3Error('REQUEST_TOO_LARGE', 400, 'MaxMessageLengthExceeded', 'Your request was too big.');

/** Reads a small request body into memory, decoding aws-chunked framing and checking Content-MD5 and checksums. */
export async function readSmallBody(call: S3Call): Promise<Buffer> {
  const plan = planBody(call);
  if ((plan.expectedSize ?? 0) > SMALL_BODY_LIMIT) throw tooBig();
  const decoder = plan.awsChunked ? new AwsChunkedDecoder() : undefined;
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of bodyChunks(call)) {
    for (const piece of decoder ? decoder.push(chunk) : [chunk]) {
      size += piece.length;
      if (size > SMALL_BODY_LIMIT) throw tooBig();
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
