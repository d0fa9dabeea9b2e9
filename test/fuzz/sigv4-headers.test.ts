import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { checkProperty, hostileString, mutatedBytes } from './fuzz.js';

const SERVICES = ['s3', 'dynamodb', 'sqs', 'sns', 'lambda', 'sts', 'iam', 'logs', 'events', 'execute-api', 'nosuchservice', ''];

/** Credential scopes: right in shape, short of parts, percent-encoded, or junk. */
const credential = fc.oneof(
  fc.tuple(fc.constantFrom('AKIDEXAMPLE', '000000000000', '123456789012', '', 'A%2FB', '..'), fc.constantFrom('20261207', '', 'x'), fc.constantFrom('us-east-1', '', 'eu-west-3', '%zz'), fc.constantFrom(...SERVICES), fc.constantFrom('aws4_request', '', 'x')).map((parts) => parts.join('/')),
  hostileString(),
);

/** Authorization headers: SigV4 in its parts (in any order, some missing or doubled), SigV2, or other schemes. */
const authorization = fc.oneof(
  fc
    .tuple(credential, fc.constantFrom('host;x-amz-date', '', ';;', 'host'), fc.constantFrom('0'.repeat(64), '', 'zz'), fc.constantFrom(', ', ',', ' ', ',,', '\t'), fc.boolean())
    .map(([cred, signed, sig, sep, reorder]) => {
      const parts = [`Credential=${cred}`, `SignedHeaders=${signed}`, `Signature=${sig}`];
      return `AWS4-HMAC-SHA256 ${(reorder ? parts.reverse() : parts).join(sep)}`;
    }),
  fc.constantFrom('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA256 ', 'AWS AKID:sig', 'AWS ', 'Bearer x', 'Basic Og==', 'AWS4-HMAC-SHA256 Credential', 'AWS4-HMAC-SHA256 Credential=/////'),
);

/** The credential scope is how the gateway routes a signed request: every header, however broken, routes somewhere. */
describe('fuzz: SigV4 headers and presigned query parameters', () => {
  let test: TestNode;
  beforeAll(async () => {
    test = await startTestNode();
  });
  afterAll(async () => {
    await test.close();
  });

  const expectAnswered = async (init: Parameters<TestNode['node']['request']>[0]): Promise<void> => {
    const response = await test.node.request(init);
    // A scope naming a service Flint lacks gets 501 NotImplemented; anything else is a client error or a success.
    if (response.status >= 500) expect(`${response.status} ${response.headers['x-amzn-errortype'] ?? ''}${response.text().slice(0, 200)}`).toMatch(/^501 NotImplemented/);
  };

  it('routes any Authorization header without a fault', async () => {
    const header = fc.oneof({ weight: 3, arbitrary: authorization }, { weight: 1, arbitrary: authorization.chain((a) => mutatedBytes(Buffer.from(a)).map((b) => b.toString('latin1').replace(/[\r\n\0]/g, ' '))) });
    await checkProperty(
      fc.asyncProperty(header, fc.constantFrom('/', '/bucket/key', '/2015-03-31/functions'), fc.constantFrom('GET', 'POST', 'PUT'), async (value, path, method) => {
        await expectAnswered({ method, path, headers: { authorization: value, 'x-amz-date': '20261207T200000Z' }, body: method === 'GET' ? undefined : '{}' });
      }),
      200,
    );
  });

  it('routes any presigned query (X-Amz-Credential, SigV2 AWSAccessKeyId) without a fault', async () => {
    const query = fc
      .record({
        'X-Amz-Algorithm': fc.constantFrom('AWS4-HMAC-SHA256', 'x', ''),
        'X-Amz-Credential': credential,
        'X-Amz-Date': fc.constantFrom('20261207T200000Z', '', 'yesterday'),
        'X-Amz-Expires': fc.constantFrom('60', '-1', '604801', '1e99', ''),
        'X-Amz-SignedHeaders': fc.constantFrom('host', ''),
        'X-Amz-Signature': fc.constantFrom('0'.repeat(64), ''),
        AWSAccessKeyId: fc.constantFrom('AKID', ''),
        Signature: fc.constantFrom('abc', ''),
        Expires: fc.constantFrom('0', '99999999999', 'x'),
        Action: fc.constantFrom('ListQueues', 'ConfirmSubscription', 'AssumeRoleWithWebIdentity', 'Unsubscribe'),
      }, { requiredKeys: [] })
      .map((params) => new URLSearchParams(params as Record<string, string>).toString());
    await checkProperty(
      fc.asyncProperty(query, fc.constantFrom('/', '/bucket/key'), async (search, path) => {
        await expectAnswered({ method: 'GET', path: `${path}?${search}` });
      }),
      200,
    );
  });
});
