import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/protocol/index.js';
import { BUCKET_CONFIG_ERROR_TYPES } from '../../src/services/s3/bucket-config/errors.js';
import { S3_ERROR_TYPES } from '../../src/services/s3/errors.js';
import { OBJECT_LOCK_ERROR_TYPES } from '../../src/services/s3/object-lock/errors.js';
import { POST_OBJECT_ERROR_TYPES } from '../../src/services/s3/post-object/index.js';
import { STORAGE_CLASS_ERROR_TYPES } from '../../src/services/s3/storage-class.js';
import type { InProcessRequest } from '../../src/platform/index.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { checkProperty, expectServiceAnswer, mutatedBytes, printStats } from './fuzz.js';
import { fuzzService, serviceCodes, type ServiceUnderFuzz } from './service-fuzz.js';

const BUCKET = 'fuzz-bucket';
const AUTH = 'AWS4-HMAC-SHA256 Credential=AKIAFUZZ/20261207/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00';

/** S3 requires Content-MD5 (or a checksum) on its configuration PUTs: given here, so the XML parser is reached. */
function withContentMd5(request: InProcessRequest): InProcessRequest {
  if (request.body === undefined || request.method !== 'PUT' || !request.path.includes('?')) return request;
  return { ...request, headers: { ...request.headers, 'content-md5': createHash('md5').update(request.body).digest('base64') } };
}

/** S3's REST-XML: model-generated requests (XML bodies included), multipart uploads and aws-chunked bodies. */
describe('fuzz: S3 (REST-XML)', () => {
  let test: TestNode;
  const s3: ServiceUnderFuzz = {
    model: loadModel('s3'),
    wire: 'rest-xml',
    signingName: 's3',
    format: 'xml',
    fixed: { Bucket: BUCKET },
    extraCodes: [...S3_ERROR_TYPES, ...BUCKET_CONFIG_ERROR_TYPES, ...POST_OBJECT_ERROR_TYPES, ...OBJECT_LOCK_ERROR_TYPES, ...STORAGE_CLASS_ERROR_TYPES],
    finish: withContentMd5,
    // Deleting the bucket would leave the rest of the run with NoSuchBucket (mutations may still do it: see ensureBucket).
    skip: ['DeleteBucket'],
  };
  const codes = serviceCodes(s3);
  const request = async (init: Parameters<TestNode['node']['request']>[0]) => test.node.request({ ...init, headers: { authorization: AUTH, ...init.headers } });

  /** The bucket, (again): a mutated request of the model fuzzer may have deleted it (DELETE on the bucket's path). */
  const ensureBucket = async (): Promise<void> => {
    const created = await request({ method: 'PUT', path: `/${BUCKET}` });
    expect([200, 409]).toContain(created.status);
  };

  beforeAll(async () => {
    test = await startTestNode();
    await ensureBucket();
  });
  afterAll(async () => {
    await test.close();
  });

  it('answers every model-generated and mutated request with a success or an S3 error document', async () => {
    await fuzzService(test.node, s3, { generated: 150, mutated: 150 });
  });

  it('completes multipart uploads only from a well-formed part list, and answers any other list with an S3 error', async () => {
    await ensureBucket();
    const created = await request({ method: 'POST', path: `/${BUCKET}/multi?uploads` });
    const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(created.text())![1]!;
    const etags: string[] = [];
    for (const n of [1, 2]) {
      const part = await request({ method: 'PUT', path: `/${BUCKET}/multi?partNumber=${n}&uploadId=${uploadId}`, body: Buffer.alloc(n === 1 ? 5 * 1024 * 1024 : 10, n) });
      etags.push(part.headers.etag!);
    }
    const document = (parts: { n: number; etag: string }[]): string =>
      `<CompleteMultipartUpload>${parts.map((p) => `<Part><PartNumber>${p.n}</PartNumber><ETag>${p.etag}</ETag></Part>`).join('')}</CompleteMultipartUpload>`;
    const partList = fc.array(fc.record({ n: fc.oneof(fc.constantFrom(1, 2), fc.integer({ min: -2, max: 10_001 })), etag: fc.oneof(fc.constantFrom(...etags), fc.string({ maxLength: 40 })) }), { maxLength: 4 });
    const bodies = fc.oneof(partList.map((parts) => Buffer.from(document(parts))), partList.chain((parts) => mutatedBytes(Buffer.from(document(parts)))));
    await checkProperty(
      fc.asyncProperty(bodies, async (body) => {
        // Every attempt but a successful one leaves the upload open; a success ends it, so the list is checked against a fresh id.
        const answer = await request({ method: 'POST', path: `/${BUCKET}/multi-fuzz?uploadId=${uploadId}`, body });
        expectServiceAnswer(answer, 'xml', codes, body.toString('latin1').slice(0, 300));
      }),
      150,
    );
    printStats('multipart');
  });

  it('decodes aws-chunked bodies exactly, and answers broken framing with an S3 error', async () => {
    await ensureBucket();
    const chunked = (chunks: Buffer[], trailer: string): Buffer =>
      Buffer.concat([...chunks.flatMap((c) => [Buffer.from(`${c.length.toString(16)};chunk-signature=${'0'.repeat(64)}\r\n`), c, Buffer.from('\r\n')]), Buffer.from(`0\r\n${trailer}\r\n`)]);
    const chunks = fc.array(fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => Buffer.from(b)), { maxLength: 5 });
    const put = (body: Buffer, decodedLength: number) =>
      request({
        method: 'PUT',
        path: `/${BUCKET}/chunked`,
        headers: { 'content-encoding': 'aws-chunked', 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'x-amz-decoded-content-length': String(decodedLength) },
        body,
      });
    await checkProperty(
      fc.asyncProperty(chunks, async (parts) => {
        const data = Buffer.concat(parts);
        const answer = await put(chunked(parts, ''), data.length);
        expect(answer.status, answer.text()).toBe(200);
        const read = await request({ path: `/${BUCKET}/chunked` });
        expect(read.body.equals(data)).toBe(true);
      }),
      60,
    );
    await checkProperty(
      fc.asyncProperty(
        chunks.chain((parts) => fc.tuple(fc.constant(Buffer.concat(parts).length), mutatedBytes(chunked(parts, 'x-amz-checksum-crc32:AAAAAA==\r\n')))),
        async ([length, body]) => {
          const answer = await put(body, length);
          expectServiceAnswer(answer, 'xml', codes, body.toString('latin1').slice(0, 300));
        },
      ),
      200,
    );
    printStats('aws-chunked');
  });
});
