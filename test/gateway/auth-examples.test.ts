import { describe, expect, it } from 'vitest';
import { bufferBody, FakeClock, type ServiceRequest } from '../../src/core/index.js';
import { AwsError } from '../../src/protocol/index.js';
import { RequestVerifier } from '../../src/gateway/index.js';

/**
 * The verifier against the worked examples of AWS's documentation, whose signatures AWS computed:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html (GET Object),
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html (a presigned URL) and
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html (a chunked upload: seed, 64 KiB, 1 KiB and
 * final chunk signatures).
 */
const KEY = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const WHEN = Date.UTC(2013, 4, 24, 0, 5);
const SCOPE = `${KEY}/20130524/us-east-1/s3/aws4_request`;
const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

function verifier(now = WHEN): RequestVerifier {
  return new RequestVerifier(async (key) => (key === KEY ? { secretAccessKey: SECRET } : undefined), new FakeClock(now));
}

function request(method: string, target: string, headers: Record<string, string>, body: Buffer = Buffer.alloc(0)): ServiceRequest {
  const q = target.indexOf('?');
  return {
    method,
    rawPath: q < 0 ? target : target.slice(0, q),
    query: new URLSearchParams(q < 0 ? '' : target.slice(q)),
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
    rawHeaders: Object.entries(headers).flat(),
    body: bufferBody(body),
    requestId: 'r',
    host: headers.Host ?? headers.host ?? 'localhost',
    baseUrl: 'http://localhost',
    sourceIp: '127.0.0.1',
  };
}

const getObject = (signature: string) =>
  request('GET', '/test.txt', {
    Host: 'examplebucket.s3.amazonaws.com',
    Range: 'bytes=0-9',
    'x-amz-content-sha256': EMPTY,
    'x-amz-date': '20130524T000000Z',
    Authorization: `AWS4-HMAC-SHA256 Credential=${SCOPE},SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=${signature}`,
  });

describe('SigV4 against AWS documentation examples', () => {
  it('accepts the documented GET Object signature and refuses another, with what S3 signed', async () => {
    expect(await verifier().verify(getObject('f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41'), 's3')).toHaveProperty('request');
    const verdict = await verifier().verify(getObject('f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb40'), 's3');
    const refused = (verdict as { refused: AwsError }).refused;
    expect(refused.type).toBe('SignatureDoesNotMatch');
    expect(refused.fields).toMatchObject({ AWSAccessKeyId: KEY, StringToSign: expect.stringContaining('20130524/us-east-1/s3/aws4_request'), CanonicalRequest: expect.stringContaining('range:bytes=0-9') });
  });

  it('accepts the documented presigned URL until it expires (X-Amz-Expires 86400)', async () => {
    const url =
      '/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404';
    const get = request('GET', url, { Host: 'examplebucket.s3.amazonaws.com' });
    expect(await verifier().verify(get, 's3')).toHaveProperty('request');
    const late = await verifier(Date.UTC(2013, 4, 25, 0, 0, 1)).verify(get, 's3');
    expect((late as { refused: AwsError }).refused).toMatchObject({ type: 'AccessDenied', message: 'Request has expired', fields: { 'X-Amz-Expires': '86400' } });
  });

  describe('a chunked upload (STREAMING-AWS4-HMAC-SHA256-PAYLOAD)', () => {
    const chunk = (data: Buffer, signature: string) => Buffer.concat([Buffer.from(`${data.length.toString(16)};chunk-signature=${signature}\r\n`), data, Buffer.from('\r\n')]);
    const body = (first = 'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648', tamper = false) =>
      Buffer.concat([
        chunk(Buffer.alloc(65536, tamper ? 'b' : 'a'), first),
        chunk(Buffer.alloc(1024, 'a'), '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497'),
        chunk(Buffer.alloc(0), 'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9'),
      ]);
    const put = (payload: Buffer) =>
      request(
        'PUT',
        '/examplebucket/chunkObject.txt',
        {
          Host: 's3.amazonaws.com',
          'x-amz-date': '20130524T000000Z',
          'x-amz-storage-class': 'REDUCED_REDUNDANCY',
          Authorization: `AWS4-HMAC-SHA256 Credential=${SCOPE},SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9`,
          'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
          'Content-Encoding': 'aws-chunked',
          'x-amz-decoded-content-length': '66560',
          'Content-Length': '66824',
        },
        payload,
      );
    const drain = async (verdict: Awaited<ReturnType<RequestVerifier['verify']>>): Promise<number> => {
      if (!('request' in verdict)) throw verdict.refused;
      let size = 0;
      for await (const piece of verdict.request.body) size += piece.length;
      return size;
    };

    it("checks the seed and each chunk's signature in sequence", async () => {
      expect(await drain(await verifier().verify(put(body()), 's3'))).toBe(66824);
    });

    it('refuses a tampered chunk, and a chunk signed out of sequence, as SignatureDoesNotMatch', async () => {
      await expect(drain(await verifier().verify(put(body(undefined, true)), 's3'))).rejects.toMatchObject({ type: 'SignatureDoesNotMatch', status: 403 });
      const swapped = '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497';
      await expect(drain(await verifier().verify(put(body(swapped)), 's3'))).rejects.toBeInstanceOf(AwsError);
    });
  });
});
