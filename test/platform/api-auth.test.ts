/**
 * API Gateway's REST features apps lean on, end to end in one node with real functions: stages in the path, Lambda
 * authorizers (TOKEN and REQUEST for REST, simple responses for HTTP APIs), AWS_IAM routes signed with the SDK's own
 * SigV4 signer, and `{proxy+}` with trailing and doubled slashes as AWS records them.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlintNode } from '../../src/platform/index.js';
import { startAppNode, type AppNode } from '../helpers/app-node.js';
import { Sha256 } from '../helpers/sha256.js';

const MANIFEST = `app: api-auth
functions:
  echo:
    runtime: nodejs20.x
    handler: index.echo
    events:
      - http: { method: GET, path: "/open/{proxy+}", api: shop }
      - http: { method: GET, path: /gold, api: shop, auth: gate }
      - http: { method: POST, path: /gold, api: shop, auth: gate }
      - http: { method: GET, path: /signed, api: shop, auth: iam }
      - http: { method: GET, path: /by-query, api: shop, auth: byQuery }
      - http: { method: GET, path: /members, auth: simple }
      - http: { method: GET, path: /signed-http, auth: iam }
  thrower:
    runtime: nodejs20.x
    handler: index.thrower
    events:
      - http: { method: GET, path: /thrower, api: shop }
  gatekeeper:
    runtime: nodejs20.x
    handler: index.gatekeeper
  queryGate:
    runtime: nodejs20.x
    handler: index.queryGate
  simpleGate:
    runtime: nodejs20.x
    handler: index.simpleGate
apis:
  shop:
    payload: "1.0"
    stage: prod
    authorizers:
      gate: { function: gatekeeper, validationExpression: "[a-z-]+" }
      byQuery: { function: queryGate, type: request, identitySource: query.key, ttl: 0 }
  default:
    authorizers:
      simple: { function: simpleGate, simpleResponses: true }
`;

const CODE = `
let asked = 0;
const policy = (effect, resource) => ({ Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }] });
exports.echo = async (event) => ({ statusCode: 200, body: JSON.stringify(event) });
exports.thrower = async () => { throw new Error('boom'); };
exports.gatekeeper = async (event) => {
  asked += 1;
  if (event.authorizationToken === 'nobody') throw new Error('Unauthorized');
  if (event.authorizationToken === 'broken') return { principalId: 'x' };
  if (event.authorizationToken === 'banned') return { principalId: 'banned', policyDocument: policy('Deny', event.methodArn) };
  // Allows GET on every path of the stage, nothing else.
  const [arn, stage] = event.methodArn.split('/');
  return { principalId: 'user-' + event.authorizationToken, policyDocument: policy('Allow', arn + '/' + stage + '/GET/*'), context: { tier: 'gold', level: 7, asked } };
};
exports.queryGate = async (event) => ({
  principalId: 'q',
  policyDocument: policy(event.queryStringParameters.key === 'open-sesame' ? 'Allow' : 'Deny', event.methodArn),
  context: { type: event.type, path: event.path },
});
exports.simpleGate = async (event) => ({ isAuthorized: event.headers.authorization === 'let-me-in', context: { user: 'ann', roles: ['reader'] } });
`;

interface RestEvent {
  path: string;
  resource: string;
  pathParameters: Record<string, string> | null;
  requestContext: { path: string; stage: string; authorizer?: Record<string, unknown>; identity: Record<string, string | null> };
}

describe('API Gateway stages, authorizers and IAM auth, end to end', () => {
  let app: AppNode;
  let node: FlintNode;

  beforeAll(async () => {
    app = await startAppNode({ 'flint.yaml': MANIFEST, 'index.js': CODE, 'package.json': '{"type":"commonjs"}' });
    node = app.node;
  });
  afterAll(() => app?.close());

  const rest = async (path: string, init?: RequestInit): Promise<{ status: number; event: RestEvent }> => {
    const res = await fetch(`${node.url}${path}`, init);
    return { status: res.status, event: (await res.json()) as RestEvent };
  };

  // LocalStack's recording of AWS: test_apigateway_lambda.snapshot.json, test_lambda_aws_proxy_integration.
  it('takes the stage off the path: path is without it, requestContext.path shows the request as sent', async () => {
    const { status, event } = await rest('/prod/open/proxy-value');
    expect(status).toBe(200);
    expect(event).toMatchObject({ path: '/open/proxy-value', resource: '/open/{proxy+}', pathParameters: { proxy: 'proxy-value' } });
    expect(event.requestContext).toMatchObject({ path: '/prod/open/proxy-value', stage: 'prod' });
  });

  it('keeps a trailing slash in the path but not in the greedy parameter, and collapses slashes after the stage', async () => {
    const trailing = await rest('/prod/open/proxy-value/');
    expect(trailing.event).toMatchObject({ path: '/open/proxy-value/', pathParameters: { proxy: 'proxy-value' } });
    expect(trailing.event.requestContext.path).toBe('/prod/open/proxy-value/');
    const doubled = await rest('/prod//open/proxy-value');
    expect(doubled.event.path).toBe('/open/proxy-value');
    expect(doubled.event.requestContext.path).toBe('/prod//open/proxy-value');
    const inner = await rest('/prod/open/a//b');
    expect(inner.event.pathParameters).toEqual({ proxy: 'a//b' });
  });

  it('answers a REST route it does not have with 403 Missing Authentication Token', async () => {
    const res = await fetch(`${node.url}/prod/nothing`);
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(await res.json()).toEqual({ message: 'Missing Authentication Token' });
  });

  // https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway-errors.html
  it('answers a REST function error with 502 {"message": "Internal server error"}', async () => {
    const res = await fetch(`${node.url}/prod/thrower`);
    expect(res.status).toBe(502);
    expect(await res.text()).toBe('{"message": "Internal server error"}');
  });

  describe('a TOKEN authorizer', () => {
    it('admits a token its policy allows and hands its context to the function as strings', async () => {
      const { status, event } = await rest('/prod/gold', { headers: { authorization: 'ann' } });
      expect(status).toBe(200);
      expect(event.requestContext.authorizer).toMatchObject({ principalId: 'user-ann', tier: 'gold', level: '7' });
    });

    it('caches the decision per token for its TTL, and evaluates the cached policy for each method', async () => {
      const first = await rest('/prod/gold', { headers: { authorization: 'bob' } });
      const second = await rest('/prod/gold', { headers: { authorization: 'bob' } });
      expect(second.event.requestContext.authorizer?.asked).toBe(first.event.requestContext.authorizer?.asked);
      // The cached policy allows only GET: the POST is refused without asking again.
      const post = await fetch(`${node.url}/prod/gold`, { method: 'POST', headers: { authorization: 'bob' } });
      expect(post.status).toBe(403);
      expect(await post.json()).toEqual({ Message: 'User is not authorized to access this resource' });
    });

    // The UNAUTHORIZED, ACCESS_DENIED and AUTHORIZER_CONFIGURATION_ERROR gateway responses:
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
    it('refuses a missing or malformed token with 401, an explicit deny with 403, a broken answer with 500', async () => {
      const missing = await fetch(`${node.url}/prod/gold`);
      expect(missing.status).toBe(401);
      expect(await missing.json()).toEqual({ message: 'Unauthorized' });
      expect((await fetch(`${node.url}/prod/gold`, { headers: { authorization: 'NOT VALID' } })).status).toBe(401);
      const unauthorized = await fetch(`${node.url}/prod/gold`, { headers: { authorization: 'nobody' } });
      expect(unauthorized.status).toBe(401);
      const denied = await fetch(`${node.url}/prod/gold`, { headers: { authorization: 'banned' } });
      expect(denied.status).toBe(403);
      expect(await denied.json()).toEqual({ Message: 'User is not authorized to access this resource with an explicit deny' });
      const broken = await fetch(`${node.url}/prod/gold`, { headers: { authorization: 'broken' } });
      expect(broken.status).toBe(500);
      expect(broken.headers.get('x-amzn-errortype')).toBe('AuthorizerConfigurationException');
    });
  });

  it('a REQUEST authorizer reads its identity source and gets the request event', async () => {
    expect((await fetch(`${node.url}/prod/by-query`)).status).toBe(401);
    expect((await fetch(`${node.url}/prod/by-query?key=wrong`)).status).toBe(403);
    const { status, event } = await rest('/prod/by-query?key=open-sesame');
    expect(status).toBe(200);
    expect(event.requestContext.authorizer).toMatchObject({ principalId: 'q', type: 'REQUEST', path: '/by-query' });
  });

  it('an HTTP API authorizer with simple responses: 401 without identity, 403 when refused, context under lambda', async () => {
    const missing = await fetch(`${node.url}/members`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ message: 'Unauthorized' });
    const refused = await fetch(`${node.url}/members`, { headers: { authorization: 'guess' } });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ message: 'Forbidden' });
    const res = await fetch(`${node.url}/members`, { headers: { authorization: 'let-me-in' } });
    const event = (await res.json()) as { requestContext: { authorizer: unknown } };
    expect(event.requestContext.authorizer).toEqual({ lambda: { user: 'ann', roles: ['reader'] } });
  });

  describe('AWS_IAM routes', () => {
    const signer = new SignatureV4({ service: 'execute-api', region: 'us-east-1', sha256: Sha256, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
    const signedFetch = async (path: string): Promise<Response> => {
      const url = new URL(`${node.url}${path}`);
      const signed = await signer.sign({ method: 'GET', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, headers: { host: url.host }, query: {} });
      return fetch(url, { headers: signed.headers });
    };

    it('refuses an unsigned REST request with 403 Missing Authentication Token and admits a signed one with its caller', async () => {
      const unsigned = await fetch(`${node.url}/prod/signed`);
      expect(unsigned.status).toBe(403);
      expect(await unsigned.json()).toEqual({ message: 'Missing Authentication Token' });
      const res = await signedFetch('/prod/signed');
      expect(res.status).toBe(200);
      const event = (await res.json()) as RestEvent;
      expect(event.requestContext.identity).toMatchObject({ accessKey: 'AKIDEXAMPLE', accountId: '000000000000', userArn: 'arn:aws:iam::000000000000:root' });
    });

    it('refuses an unsigned HTTP API request with 403 Forbidden and fills authorizer.iam for a signed one', async () => {
      const unsigned = await fetch(`${node.url}/signed-http`);
      expect(unsigned.status).toBe(403);
      expect(await unsigned.json()).toEqual({ message: 'Forbidden' });
      const event = (await (await signedFetch('/signed-http')).json()) as { requestContext: { authorizer: { iam: Record<string, unknown> } } };
      expect(event.requestContext.authorizer.iam).toMatchObject({ accessKey: 'AKIDEXAMPLE', accountId: '000000000000' });
    });
  });
});
