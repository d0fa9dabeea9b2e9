import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, ListMultipartUploadsCommand, S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Failure, startS3, type S3Node } from './harness.js';
import { raw, S3_AUTH, xmlText } from './http.js';

const MB = 1024 * 1024;
const md5Base64 = (data: string | Buffer) => createHash('md5').update(data).digest('base64');

interface ContinueOutcome {
  continued: boolean;
  status: number;
  text: string;
}

/**
 * A PUT sent as clients that send `Expect: 100-continue` do: the body goes only after "100 Continue"; a final answer
 * that comes first is taken as it is, and the body is never sent.
 */
function putExpectingContinue(url: string, path: string, body: string): Promise<ContinueOutcome> {
  return new Promise((resolve, reject) => {
    let continued = false;
    const req = httpRequest(new URL(path, url), { method: 'PUT', headers: { authorization: S3_AUTH, 'content-length': String(Buffer.byteLength(body)), expect: '100-continue' } });
    req.on('continue', () => {
      continued = true;
      req.end(body);
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        if (!continued) req.destroy();
        resolve({ continued, status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', (error) => (continued ? reject(error) : undefined));
    req.flushHeaders();
  });
}

describe('S3 exactness: Expect, multipart completion, digests', () => {
  let node: S3Node;
  let s3: S3Client;
  const createUpload = async (Key: string) => (await s3.send(new CreateMultipartUploadCommand({ Bucket: 'exact', Key }))).UploadId!;
  const uploadPart = async (Key: string, UploadId: string, PartNumber: number, Body: Buffer | string) =>
    (await s3.send(new UploadPartCommand({ Bucket: 'exact', Key, UploadId, PartNumber, Body }))).ETag!;

  beforeAll(async () => {
    node = await startS3();
    s3 = node.client();
    await s3.send(new CreateBucketCommand({ Bucket: 'exact' }));
  });
  afterAll(async () => node?.close());

  describe('Expect: 100-continue', () => {
    // https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html (Expect): the body is sent after the
    // acknowledgment; "if the message is rejected based on the headers, the body of the message is not sent".
    it('answers 100 Continue to PutObject, then stores the body sent after it', async () => {
      const outcome = await putExpectingContinue(node.url, '/exact/continued.txt', 'sent after 100');
      expect([outcome.continued, outcome.status]).toEqual([true, 200]);
      expect((await raw(node.url, { path: '/exact/continued.txt' })).text).toBe('sent after 100');
    });

    it('answers 100 Continue to UploadPart', async () => {
      const uploadId = await createUpload('continued.bin');
      const outcome = await putExpectingContinue(node.url, `/exact/continued.bin?partNumber=1&uploadId=${uploadId}`, 'part one');
      expect([outcome.continued, outcome.status]).toEqual([true, 200]);
    });

    it('refuses a request on its headers without asking for the body', async () => {
      const outcome = await putExpectingContinue(node.url, '/no-such-bucket-here/key', 'never sent');
      expect([outcome.continued, outcome.status, xmlText(outcome.text, 'Code')]).toEqual([false, 404, 'NoSuchBucket']);
      // The connection the body was never sent on is not reused; the node answers the next request as usual.
      expect((await raw(node.url, { path: '/exact/continued.txt' })).status).toBe(200);
    });
  });

  describe('CompleteMultipartUpload', () => {
    const complete = (Key: string, UploadId: string, Parts: { ETag: string; PartNumber: number }[]) =>
      s3Failure(s3.send(new CompleteMultipartUploadCommand({ Bucket: 'exact', Key, UploadId, MultipartUpload: { Parts } })));

    it('answers S3 errors with their elements: InvalidPartOrder, EntityTooSmall, InvalidPart', async () => {
      const uploadId = await createUpload('edges');
      const first = await uploadPart('edges', uploadId, 1, 'data');
      const second = await uploadPart('edges', uploadId, 2, 'data');
      const post = (body: string) => raw(node.url, { method: 'POST', path: `/exact/edges?uploadId=${uploadId}`, body });

      // test_s3.py test_complete_multipart_parts_order (complete-multipart-unordered).
      const unordered = await post(
        `<CompleteMultipartUpload><Part><PartNumber>2</PartNumber><ETag>${second}</ETag></Part><Part><PartNumber>1</PartNumber><ETag>${first}</ETag></Part></CompleteMultipartUpload>`,
      );
      expect([unordered.status, xmlText(unordered.text, 'Code'), xmlText(unordered.text, 'Message'), xmlText(unordered.text, 'UploadId')]).toEqual([
        400,
        'InvalidPartOrder',
        'The list of parts was not in ascending order. Parts must be ordered by part number.',
        uploadId,
      ]);

      // test_s3.py test_multipart_complete_multipart_too_small (complete-exc-too-small).
      const small = await post(
        `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${first}</ETag></Part><Part><PartNumber>2</PartNumber><ETag>${second}</ETag></Part></CompleteMultipartUpload>`,
      );
      expect(['Code', 'Message', 'ETag', 'MinSizeAllowed', 'PartNumber', 'ProposedSize'].map((name) => xmlText(small.text, name))).toEqual([
        'EntityTooSmall',
        'Your proposed upload is smaller than the minimum allowed size',
        first.replace(/"/g, ''),
        String(5 * MB),
        '1',
        '4',
      ]);

      // test_s3.py test_multipart_complete_multipart_wrong_part: a part never uploaded, and a wrong ETag.
      const invalidPart =
        "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.";
      const missing = await complete('edges', uploadId, [{ PartNumber: 3, ETag: first }]);
      expect([missing.name, missing.message]).toEqual(['InvalidPart', invalidPart]);
      expect(missing).toMatchObject({ PartNumber: '3', ETag: first.replace(/"/g, ''), UploadId: uploadId });
      const wrongEtag = await complete('edges', uploadId, [{ PartNumber: 1, ETag: '"d41d8cd98f00b204e9800998ecf8427e"' }]);
      expect([wrongEtag.name, wrongEtag.$metadata.httpStatusCode]).toEqual(['InvalidPart', 400]);
      expect(wrongEtag).toMatchObject({ PartNumber: '1', ETag: 'd41d8cd98f00b204e9800998ecf8427e' });
    });

    it('asks for parts when none are given: no document is InvalidRequest, a document without parts MalformedXML', async () => {
      const uploadId = await createUpload('no-parts');
      await uploadPart('no-parts', uploadId, 1, 'data');
      // test_s3.py test_multipart_complete_multipart_too_small (complete-exc-no-parts): boto3 sends no body.
      const none = await s3Failure(s3.send(new CompleteMultipartUploadCommand({ Bucket: 'exact', Key: 'no-parts', UploadId: uploadId })));
      expect([none.name, none.message, none.$metadata.httpStatusCode]).toEqual(['InvalidRequest', 'You must specify at least one part', 400]);
      const empty = await raw(node.url, { method: 'POST', path: `/exact/no-parts?uploadId=${uploadId}`, body: '<CompleteMultipartUpload></CompleteMultipartUpload>' });
      expect([empty.status, xmlText(empty.text, 'Code')]).toEqual([400, 'MalformedXML']);
    });

    it('answers a second completion NoSuchUpload, naming the upload', async () => {
      const uploadId = await createUpload('twice');
      const etag = await uploadPart('twice', uploadId, 1, 'only part');
      const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket: 'exact', Key: 'twice', UploadId: uploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: etag }] } }));
      expect(done.ETag).toMatch(/-1"$/);
      // The upload is gone once completed: test_s3.py test_multipart_no_such_upload (complete-exc) records S3's
      // answer for an upload that does not exist, whose message names completion among the reasons.
      const again = await complete('twice', uploadId, [{ PartNumber: 1, ETag: etag }]);
      expect([again.name, again.message, again.$metadata.httpStatusCode]).toEqual([
        'NoSuchUpload',
        'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
        404,
      ]);
      expect(again).toMatchObject({ UploadId: uploadId });
    });
  });

  describe('digests', () => {
    // test_s3.py test_s3_invalid_content_md5: every malformed Content-MD5 is InvalidDigest naming it, on PutObject
    // and UploadPart alike.
    const malformed = ['__invalid__', '000', 'not base64 encoded checksum', 'MTIz', Buffer.from('test-string').toString('base64')];

    it('answers InvalidDigest for a malformed Content-MD5, BadDigest for one that does not match', async () => {
      const uploadId = await createUpload('md5-part');
      for (const digest of malformed) {
        for (const path of ['/exact/md5', `/exact/md5-part?partNumber=1&uploadId=${uploadId}`]) {
          const response = await raw(node.url, { method: 'PUT', path, body: 'something', headers: { 'content-md5': digest } });
          expect([path, response.status, ...['Code', 'Message', 'Content-MD5'].map((name) => xmlText(response.text, name))]).toEqual([
            path,
            400,
            'InvalidDigest',
            'The Content-MD5 you specified was invalid.',
            digest,
          ]);
        }
      }
      // md5-error-bad-digest: PutObject gives the digest it expected in hex; upload-part-md5-bad-digest: UploadPart
      // gives it as sent.
      const wrong = md5Base64('something1');
      const put = await raw(node.url, { method: 'PUT', path: '/exact/md5', body: 'something', headers: { 'content-md5': wrong } });
      expect(['Code', 'Message', 'ExpectedDigest', 'CalculatedDigest'].map((name) => xmlText(put.text, name))).toEqual([
        'BadDigest',
        'The Content-MD5 you specified did not match what we received.',
        Buffer.from(wrong, 'base64').toString('hex'),
        md5Base64('something'),
      ]);
      const part = await raw(node.url, { method: 'PUT', path: `/exact/md5-part?partNumber=1&uploadId=${uploadId}`, body: 'something', headers: { 'content-md5': wrong } });
      expect(['Code', 'ExpectedDigest', 'CalculatedDigest'].map((name) => xmlText(part.text, name))).toEqual(['BadDigest', wrong, md5Base64('something')]);
    });

    it('tells a malformed x-amz-checksum-crc32 (InvalidRequest) from a wrong one (BadDigest) on UploadPart', async () => {
      // test_s3.py test_multipart_upload_part_checksum_exception[CRC32]: put-wrong-checksum-no-b64, put-wrong-checksum-value.
      const uploadId = await createUpload('sum-part');
      const path = `/exact/sum-part?partNumber=1&uploadId=${uploadId}`;
      const notBase64 = await raw(node.url, { method: 'PUT', path, body: 'data', headers: { 'x-amz-checksum-crc32': 'wrong data' } });
      expect([notBase64.status, xmlText(notBase64.text, 'Code'), xmlText(notBase64.text, 'Message')]).toEqual([400, 'InvalidRequest', 'Value for x-amz-checksum-crc32 header is invalid.']);
      const wrongValue = await raw(node.url, { method: 'PUT', path, body: 'data', headers: { 'x-amz-checksum-crc32': 'AAAAAA==' } });
      expect([wrongValue.status, xmlText(wrongValue.text, 'Code'), xmlText(wrongValue.text, 'Message')]).toEqual([400, 'BadDigest', 'The CRC32 you specified did not match the calculated checksum.']);
    });
  });

  describe('ListMultipartUploads', () => {
    beforeAll(async () => {
      await s3.send(new CreateBucketCommand({ Bucket: 'uploads-listed' }));
      for (const Key of ['test/foo/bar/123', 'test/foo/bar/456', 'test/bar/foo/123', 'test/top level.txt']) await s3.send(new CreateMultipartUploadCommand({ Bucket: 'uploads-listed', Key }));
    });

    it('rolls uploads up into common prefixes with a delimiter', async () => {
      // test_s3_list_operations.py test_list_multiparts_with_prefix_and_delimiter (list-multiparts-1, -2, -3).
      const top = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'uploads-listed', Prefix: 'test/', Delimiter: '/' }));
      expect(top.CommonPrefixes).toEqual([{ Prefix: 'test/bar/' }, { Prefix: 'test/foo/' }]);
      expect(top.Uploads?.map((u) => u.Key)).toEqual(['test/top level.txt']);
      expect([top.Delimiter, top.IsTruncated, top.KeyMarker, top.UploadIdMarker]).toEqual(['/', false, '', '']);
      const inner = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'uploads-listed', Prefix: 'test/foo/bar', Delimiter: '/' }));
      expect([inner.CommonPrefixes, inner.Uploads, inner.NextKeyMarker, inner.NextUploadIdMarker]).toEqual([[{ Prefix: 'test/foo/bar/' }], undefined, '', '']);

      // A prefix counts against max-uploads, and the next page starts after it.
      const first = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'uploads-listed', Prefix: 'test/', Delimiter: '/', MaxUploads: 1 }));
      expect([first.CommonPrefixes, first.IsTruncated, first.NextKeyMarker]).toEqual([[{ Prefix: 'test/bar/' }], true, 'test/bar/']);
      const second = await s3.send(
        new ListMultipartUploadsCommand({ Bucket: 'uploads-listed', Prefix: 'test/', Delimiter: '/', MaxUploads: 1, KeyMarker: first.NextKeyMarker, UploadIdMarker: first.NextUploadIdMarker }),
      );
      expect(second.CommonPrefixes).toEqual([{ Prefix: 'test/foo/' }]);
    });

    it('URL-encodes keys and prefixes with encoding-type=url, and refuses other encodings', async () => {
      const listed = await raw(node.url, { path: '/uploads-listed?uploads&prefix=test%2Ftop%20&encoding-type=url' });
      expect(['EncodingType', 'Prefix', 'Key'].map((name) => xmlText(listed.text, name))).toEqual(['url', 'test/top+', 'test/top+level.txt']);
      // test_list_ops_encoding_type_validation[list_multipart_uploads] (list_multipart_uploads-error-wrong-value).
      const wrong = await raw(node.url, { path: '/uploads-listed?uploads&encoding-type=value' });
      expect([wrong.status, ...['Code', 'Message', 'ArgumentName', 'ArgumentValue'].map((name) => xmlText(wrong.text, name))]).toEqual([
        400,
        'InvalidArgument',
        'Invalid Encoding Method specified in Request',
        'encoding-type',
        'value',
      ]);
    });
  });
});
