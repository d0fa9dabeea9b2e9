import { CreateBucketCommand, DeleteBucketCorsCommand, GetBucketCorsCommand, PutBucketCorsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Failure, startS3, type S3Node } from './harness.js';
import { xmlText } from './http.js';

/**
 * CORS as browsers meet it: preflights (unsigned OPTIONS with Origin) answered by the bucket's rules, and
 * Access-Control-* headers on actual requests, presigned ones included. Expected headers and errors as AWS
 * answers them in LocalStack's recordings, tests/aws/services/s3/test_s3_cors.snapshot.json (test names cited).
 */

const NOT_ALLOWED =
  "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";

/** A SigV4 presigned GET as SDKs build it, signed now (Flint checks expiry, not the signature). */
function presigned(base: string, path: string): string {
  const date = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const query = new URLSearchParams({
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `test/${date.slice(0, 8)}/us-east-1/s3/aws4_request`,
    'X-Amz-Date': date,
    'X-Amz-Expires': '300',
    'X-Amz-SignedHeaders': 'host',
    'X-Amz-Signature': 'f'.repeat(64),
  });
  return `${base}${path}?${query.toString()}`;
}

function accessControl(response: Response): Record<string, string> {
  const out: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (name.startsWith('access-control-') || name === 'vary') out[name] = value;
  });
  return out;
}

describe('S3 CORS', () => {
  let node: S3Node;
  let s3: S3Client;
  const Bucket = 'web';

  beforeAll(async () => {
    node = await startS3();
    s3 = node.client();
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'doc.txt', Body: 'test-cors' }));
  });
  afterAll(async () => node?.close());

  const preflight = (path: string, headers: Record<string, string>) => fetch(`${node.url}${path}`, { method: 'OPTIONS', headers });

  it('refuses preflights while the bucket has no CORS configuration (test_cors_http_options_no_config)', async () => {
    const answer = await preflight(`/${Bucket}/doc.txt`, { Origin: 'https://app.example', 'Access-Control-Request-Method': 'PUT' });
    expect(answer.status).toBe(403);
    const body = await answer.text();
    expect([xmlText(body, 'Code'), xmlText(body, 'Message'), xmlText(body, 'Method'), xmlText(body, 'ResourceType')]).toEqual([
      'AccessForbidden',
      'CORSResponse: CORS is not enabled for this bucket.',
      'PUT',
      'OBJECT',
    ]);
    const missing = await preflight('/no-such-bucket', { Origin: 'https://app.example', 'Access-Control-Request-Method': 'GET' });
    expect(missing.status).toBe(403);
    expect(xmlText(await missing.text(), 'Message')).toBe('CORSResponse: Bucket not found');
    expect((await s3Failure(s3.send(new GetBucketCorsCommand({ Bucket })))).name).toBe('NoSuchCORSConfiguration');
  });

  it('answers a preflight by the first rule that allows its origin, method and headers (test_cors_match_origins, test_cors_match_headers)', async () => {
    await s3.send(
      new PutBucketCorsCommand({
        Bucket,
        CORSConfiguration: {
          CORSRules: [
            { AllowedOrigins: ['https://localhost:4200'], AllowedMethods: ['GET', 'PUT'], MaxAgeSeconds: 3000, AllowedHeaders: ['x-amz-*', 'content-type'], ExposeHeaders: ['ETag'] },
            { AllowedOrigins: ['http://*.example.com'], AllowedMethods: ['GET'] },
          ],
        },
      }),
    );
    expect((await s3.send(new GetBucketCorsCommand({ Bucket }))).CORSRules?.[0]).toEqual({
      AllowedOrigins: ['https://localhost:4200'],
      AllowedMethods: ['GET', 'PUT'],
      MaxAgeSeconds: 3000,
      AllowedHeaders: ['x-amz-*', 'content-type'],
      ExposeHeaders: ['ETag'],
    });

    const right = await preflight(`/${Bucket}/doc.txt`, { Origin: 'https://localhost:4200', 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'X-Amz-Meta-Owner, Content-Type' });
    expect(right.status).toBe(200);
    expect(accessControl(right)).toEqual({
      'access-control-allow-credentials': 'true',
      'access-control-allow-headers': 'x-amz-meta-owner, content-type',
      'access-control-allow-methods': 'GET, PUT',
      'access-control-allow-origin': 'https://localhost:4200',
      'access-control-expose-headers': 'ETag',
      'access-control-max-age': '3000',
      vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
    });
    const wildcard = await preflight(`/${Bucket}`, { Origin: 'http://shop.example.com', 'Access-Control-Request-Method': 'GET' });
    expect(wildcard.status).toBe(200);
    expect(wildcard.headers.get('access-control-allow-origin')).toBe('http://shop.example.com');

    const refusals: Record<string, string>[] = [
      { Origin: 'http://localhost:4200', 'Access-Control-Request-Method': 'PUT' },
      { Origin: 'https://localhost:4200', 'Access-Control-Request-Method': 'DELETE' },
      { Origin: 'https://localhost:4200', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
    ];
    for (const headers of refusals) {
      const refused = await preflight(`/${Bucket}/doc.txt`, headers);
      expect(refused.status, JSON.stringify(headers)).toBe(403);
      const body = await refused.text();
      expect(xmlText(body, 'Message')?.replace(/&apos;/g, "'")).toBe(NOT_ALLOWED);
      expect(xmlText(body, 'Method')).toBe(headers['Access-Control-Request-Method']);
      expect(accessControl(refused)).toEqual({});
    }
  });

  it('answers "*" without credentials for a rule open to every origin (test_cors_match_origins, random-wildcard-origin)', async () => {
    await s3.send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: [{ AllowedOrigins: ['*'], AllowedMethods: ['GET', 'PUT'], MaxAgeSeconds: 3000, AllowedHeaders: ['*'] }] } }));
    const answer = await preflight(`/${Bucket}/doc.txt`, { Origin: 'http://random:1234', 'Access-Control-Request-Method': 'PUT' });
    expect(accessControl(answer)).toEqual({
      'access-control-allow-methods': 'GET, PUT',
      'access-control-allow-origin': '*',
      'access-control-max-age': '3000',
      vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
    });
  });

  it('puts the matching rule’s headers on actual requests, presigned ones included, and none for an origin no rule allows', async () => {
    await s3.send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: [{ AllowedOrigins: ['https://localhost:4200'], AllowedMethods: ['GET'], MaxAgeSeconds: 3000 }] } }));
    const allowed = await fetch(presigned(node.url, `/${Bucket}/doc.txt`), { headers: { Origin: 'https://localhost:4200' } });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toBe('test-cors');
    expect(accessControl(allowed)).toEqual({
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET',
      'access-control-allow-origin': 'https://localhost:4200',
      'access-control-max-age': '3000',
      vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
    });
    const other = await fetch(presigned(node.url, `/${Bucket}/doc.txt`), { headers: { Origin: 'http://localhost:4200' } });
    expect(other.status).toBe(200);
    expect(accessControl(other)).toEqual({});
    const noOrigin = await fetch(presigned(node.url, `/${Bucket}/doc.txt`));
    expect(accessControl(noOrigin)).toEqual({});
    // test_cors_match_methods (get-wrong-op): a method no rule allows is served without CORS headers.
    const put = await fetch(presigned(node.url, `/${Bucket}/put.txt`), { method: 'PUT', body: 'x', headers: { Origin: 'https://localhost:4200' } });
    expect(put.status).toBe(200);
    expect(accessControl(put)).toEqual({});
  });

  it('checks CORS rules as S3 does (test_put_cors_invalid_rules) and deletes them', async () => {
    const method = await s3Failure(s3.send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: [{ AllowedOrigins: ['*'], AllowedMethods: ['MYMETHOD'] }] } })));
    expect([method.name, method.message]).toEqual(['InvalidRequest', 'Found unsupported HTTP method in CORS config. Unsupported method is MYMETHOD']);
    const empty = await s3Failure(s3.send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: [] } })));
    expect(empty.name).toBe('MalformedXML');
    expect((await s3.send(new DeleteBucketCorsCommand({ Bucket }))).$metadata.httpStatusCode).toBe(204);
    expect((await s3Failure(s3.send(new GetBucketCorsCommand({ Bucket })))).name).toBe('NoSuchCORSConfiguration');
  });

  it('leaves unsigned OPTIONS without an Origin to the HTTP routes, as before', async () => {
    const answer = await fetch(`${node.url}/${Bucket}/doc.txt`, { method: 'OPTIONS' });
    expect(answer.status).toBe(404);
  });
});
