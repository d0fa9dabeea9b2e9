import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { ChecksumAlgorithm, CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3, type S3Node } from './harness.js';
import { raw, xmlText } from './http.js';

const CHECK = '123456789';
/** Standard check values of each algorithm over "123456789", base64 as S3 carries them. */
const DIGESTS: Record<string, string> = {
  crc32: Buffer.from('cbf43926', 'hex').toString('base64'),
  crc32c: Buffer.from('e3069283', 'hex').toString('base64'),
  crc64nvme: Buffer.from('ae8b14860a799888', 'hex').toString('base64'),
  sha1: createHash('sha1').update(CHECK).digest('base64'),
  sha256: createHash('sha256').update(CHECK).digest('base64'),
};

const md5Base64 = (text: string) => createHash('md5').update(text).digest('base64');
const crc32Base64 = (text: string) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(text));
  return out.toString('base64');
};

describe('S3 upload bodies and checksums', () => {
  let node: S3Node;
  let s3: S3Client;
  const put = (key: string, body: string | (string | Buffer)[], headers: Record<string, string> = {}) => raw(node.url, { method: 'PUT', path: `/uploads/${key}`, body, headers });
  const text = async (key: string) => (await raw(node.url, { path: `/uploads/${key}` })).text;

  beforeAll(async () => {
    node = await startS3();
    s3 = node.client();
    await s3.send(new CreateBucketCommand({ Bucket: 'uploads' }));
  });
  afterAll(async () => node?.close());

  it('verifies Content-MD5: a match stores, a mismatch is BadDigest, a malformed digest is InvalidDigest', async () => {
    expect((await put('md5', 'hello', { 'content-md5': md5Base64('hello') })).status).toBe(200);
    const bad = await put('md5', 'other', { 'content-md5': md5Base64('hello') });
    expect([bad.status, xmlText(bad.text, 'Code'), xmlText(bad.text, 'Message')]).toEqual([400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.']);
    expect(await text('md5')).toBe('hello');
    const malformed = await put('md5', 'hello', { 'content-md5': 'not-a-digest' });
    expect([malformed.status, xmlText(malformed.text, 'Code')]).toEqual([400, 'InvalidDigest']);
  });

  it('verifies every flexible checksum header and returns it', async () => {
    for (const [name, digest] of Object.entries(DIGESTS)) {
      const good = await put(`sum-${name}`, CHECK, { [`x-amz-checksum-${name}`]: digest });
      expect([name, good.status, good.headers[`x-amz-checksum-${name}`], good.headers['x-amz-checksum-type']]).toEqual([name, 200, digest, 'FULL_OBJECT']);
      const bad = await put(`sum-${name}`, 'tampered', { [`x-amz-checksum-${name}`]: digest });
      expect([name, bad.status, xmlText(bad.text, 'Code'), xmlText(bad.text, 'Message')]).toEqual([
        name,
        400,
        'BadDigest',
        `The ${name.toUpperCase()} you specified did not match the calculated checksum.`,
      ]);
      const back = await raw(node.url, { path: `/uploads/sum-${name}`, headers: { 'x-amz-checksum-mode': 'ENABLED' } });
      expect([back.text, back.headers[`x-amz-checksum-${name}`]]).toEqual([CHECK, digest]);
    }
  });

  it('refuses malformed and multiple checksum headers', async () => {
    const malformed = await put('bad', 'x', { 'x-amz-checksum-crc32': 'abc' });
    expect([xmlText(malformed.text, 'Code'), xmlText(malformed.text, 'Message')]).toEqual(['InvalidRequest', 'Value for x-amz-checksum-crc32 header is invalid.']);
    const two = await put('bad', CHECK, { 'x-amz-checksum-crc32': DIGESTS.crc32!, 'x-amz-checksum-sha1': DIGESTS.sha1! });
    expect(xmlText(two.text, 'Message')).toBe('Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  });

  it('decodes the aws-chunked body SDK v3 sends, even split across TCP reads, and checks its CRC32 trailer', async () => {
    const headers = {
      'content-encoding': 'aws-chunked',
      'transfer-encoding': 'chunked',
      'x-amz-decoded-content-length': '13',
      'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      'x-amz-trailer': 'x-amz-checksum-crc32',
      'x-amz-sdk-checksum-algorithm': 'CRC32',
    };
    const pieces = ['d\r\nhel', 'lo stream\n\r', '\n0\r\nx-amz-checksum-cr', 'c32:u4b0lw==\r\n\r\n'];
    const response = await put('chunked', pieces, headers);
    expect([response.status, response.headers['x-amz-checksum-crc32']]).toEqual([200, 'u4b0lw==']);
    const stored = await raw(node.url, { path: '/uploads/chunked' });
    expect([stored.text, stored.headers['content-encoding']]).toEqual(['hello stream\n', undefined]);
    const wrong = await put('chunked', ['d\r\nhello STREAM\n\r\n0\r\nx-amz-checksum-crc32:u4b0lw==\r\n\r\n'], headers);
    expect([wrong.status, xmlText(wrong.text, 'Code')]).toEqual([400, 'BadDigest']);
    const short = await put('chunked', ['d\r\nhello stream\n\r\n0\r\nx-amz-checksum-crc32:u4b0lw==\r\n\r\n'], { ...headers, 'x-amz-decoded-content-length': '14' });
    expect(xmlText(short.text, 'Code')).toBe('IncompleteBody');
    const garbled = await put('chunked', ['zz\r\nhello stream\n\r\n0\r\n\r\n'], headers);
    expect([garbled.status, xmlText(garbled.text, 'Code')]).toEqual([400, 'IncompleteBody']);
    expect(await text('chunked')).toBe('hello stream\n');
  });

  it('decodes signed chunks (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) without verifying their signatures', async () => {
    const body = `5;chunk-signature=${'a'.repeat(64)}\r\nhello\r\n0;chunk-signature=${'b'.repeat(64)}\r\n\r\n`;
    const response = await put('signed', body, { 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'x-amz-decoded-content-length': '5', 'content-encoding': 'aws-chunked,gzip' });
    expect(response.status).toBe(200);
    const stored = await raw(node.url, { path: '/uploads/signed' });
    expect([stored.text, stored.headers['content-encoding']]).toEqual(['hello', 'gzip']);
  });

  it('asks for the checksum an SDK announced but did not send', async () => {
    const response = await put('announced', 'x', { 'x-amz-sdk-checksum-algorithm': 'CRC32' });
    expect(xmlText(response.text, 'Message')).toBe('x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.');
  });

  it('works with the SDK for every checksum algorithm, buffered and streamed, and validates on download', async () => {
    const algorithms = [ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32C, ChecksumAlgorithm.CRC64NVME, ChecksumAlgorithm.SHA1, ChecksumAlgorithm.SHA256];
    for (const algorithm of algorithms) {
      const body = `payload for ${algorithm} `.repeat(5000);
      const buffered = await s3.send(new PutObjectCommand({ Bucket: 'uploads', Key: `sdk-${algorithm}`, Body: body, ChecksumAlgorithm: algorithm }));
      expect(buffered.$metadata.httpStatusCode).toBe(200);
      const streamed = await s3.send(
        new PutObjectCommand({ Bucket: 'uploads', Key: `sdk-stream-${algorithm}`, Body: Readable.from([Buffer.from(body)]), ContentLength: body.length, ChecksumAlgorithm: algorithm }),
      );
      expect(streamed.$metadata.httpStatusCode).toBe(200);
      const got = await s3.send(new GetObjectCommand({ Bucket: 'uploads', Key: `sdk-stream-${algorithm}`, ChecksumMode: 'ENABLED' }));
      expect(await got.Body?.transformToString()).toBe(body);
    }
    const crc = await s3.send(new GetObjectCommand({ Bucket: 'uploads', Key: 'sdk-CRC32', ChecksumMode: 'ENABLED' }));
    expect(crc.ChecksumCRC32).toBe(crc32Base64('payload for CRC32 '.repeat(5000)));
    await crc.Body?.transformToString();
  });

  it('keeps the previous object when an upload fails its digest or the client goes away', async () => {
    await put('kept', 'original');
    await put('kept', 'replacement', { 'content-md5': md5Base64('something else') });
    expect(await text('kept')).toBe('original');
    const aborted = await abortedUpload(node.url, '/uploads/kept');
    expect(aborted).toBe(true);
    expect(await text('kept')).toBe('original');
  });
});

/** Starts a PUT that promises 1000 bytes, sends 10 and drops the connection. */
async function abortedUpload(baseUrl: string, path: string): Promise<boolean> {
  const { request } = await import('node:http');
  const { S3_AUTH } = await import('./http.js');
  return new Promise((resolve) => {
    const req = request(new URL(path, baseUrl), { method: 'PUT', headers: { authorization: S3_AUTH, 'content-length': '1000' } });
    req.on('error', () => resolve(true));
    req.on('response', () => resolve(false));
    req.write('0123456789', () => req.destroy());
  });
}
