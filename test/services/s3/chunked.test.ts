import { describe, expect, it } from 'vitest';
import { AwsError } from '../../../src/protocol/index.js';
import { AwsChunkedDecoder } from '../../../src/services/s3/chunked.js';

/** The body SDK v3 sent for a 13-byte fs stream (captures/sdkjs3-3.1175/s3.put-object-fsstream.json). */
const SDK_BODY = 'd\r\nhello stream\n\r\n0\r\nx-amz-checksum-crc32:u4b0lw==\r\n\r\n';

/** A STREAMING-AWS4-HMAC-SHA256-PAYLOAD body: signed chunks, no trailer. */
const SIGNED_BODY =
  '5;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\nhello\r\n' +
  '6;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n world\r\n' +
  '0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n';

function decodeInPieces(body: Buffer, cuts: number[]): { data: string; decoder: AwsChunkedDecoder } {
  const decoder = new AwsChunkedDecoder();
  const out: Buffer[] = [];
  let from = 0;
  for (const cut of [...cuts, body.length]) {
    out.push(...decoder.push(body.subarray(from, cut)));
    from = cut;
  }
  decoder.end();
  return { data: Buffer.concat(out).toString('latin1'), decoder };
}

function expectIncomplete(fn: () => void): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  // S3's errors are AwsErrors (the kit's one error contract); the code S3 sends is awsCode.
  expect(error instanceof AwsError && error.awsCode).toBe('IncompleteBody');
}

describe('aws-chunked decoding', () => {
  it('decodes the body SDK v3 sends, with its checksum trailer', () => {
    const { data, decoder } = decodeInPieces(Buffer.from(SDK_BODY), []);
    expect(data).toBe('hello stream\n');
    expect(decoder.trailers.get('x-amz-checksum-crc32')).toBe('u4b0lw==');
  });

  it('gives the same result wherever the socket splits the frames, down to single bytes', () => {
    for (const body of [SDK_BODY, SIGNED_BODY]) {
      const bytes = Buffer.from(body);
      const whole = decodeInPieces(bytes, []).data;
      for (let cut = 1; cut < bytes.length; cut++) expect(decodeInPieces(bytes, [cut]).data).toBe(whole);
      const everyByte = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
      expect(decodeInPieces(bytes, everyByte).data).toBe(whole);
    }
  });

  it('reads signed chunks and ignores their signatures', () => {
    const { data, decoder } = decodeInPieces(Buffer.from(SIGNED_BODY), [7, 90, 100]);
    expect(data).toBe('hello world');
    expect(decoder.trailers.size).toBe(0);
  });

  it('passes binary data through untouched, including CR and LF bytes inside chunks', () => {
    const payload = Buffer.from([0x0d, 0x0a, 0x00, 0xff, 0x30, 0x0d, 0x0a, 0x0d, 0x0a]);
    const body = Buffer.concat([Buffer.from(`${payload.length.toString(16)}\r\n`), payload, Buffer.from('\r\n0\r\n\r\n')]);
    const decoder = new AwsChunkedDecoder();
    const out = Buffer.concat([...decoder.push(body.subarray(0, 5)), ...decoder.push(body.subarray(5))]);
    decoder.end();
    expect(out.equals(payload)).toBe(true);
  });

  it('accepts a body that ends right after its last trailer line', () => {
    const { decoder } = decodeInPieces(Buffer.from('3\r\nabc\r\n0\r\nx-amz-checksum-sha256:abc=\r\n'), []);
    expect(decoder.trailers.get('x-amz-checksum-sha256')).toBe('abc=');
  });

  it('reports truncated or malformed framing as IncompleteBody', () => {
    expectIncomplete(() => decodeInPieces(Buffer.from('d\r\nhello'), []));
    expectIncomplete(() => decodeInPieces(Buffer.from('zz\r\nhello\r\n'), []));
    expectIncomplete(() => decodeInPieces(Buffer.from('3\r\nabcXX0\r\n\r\n'), []));
    expectIncomplete(() => decodeInPieces(Buffer.from('3\r\nabc\r\n'), []));
  });
});
