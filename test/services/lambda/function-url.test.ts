import { request as httpRequest } from 'node:http';
import { AddPermissionCommand, CreateFunctionUrlConfigCommand, LambdaClient, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestNode, type TestNode } from '../../helpers/node.js';
import { createNodeFunction, Gate, sourceZip, streamingZip } from './stream-harness.js';
import { Sha256 } from '../../helpers/sha256.js';

/** Echoes the event it got as a full HTTP response; /fail throws, /text answers a bare string. */
const ECHO = `
exports.handler = async (event) => {
  if (event.rawPath === '/fail') throw new Error('boom');
  if (event.rawPath === '/text') return 'hello';
  return { statusCode: 202, headers: { 'content-type': 'application/json', 'x-echo': 'yes', 'access-control-allow-origin': 'https://function.example' }, cookies: ['session=1; Path=/'], body: JSON.stringify(event) };
};
`;

/** The parts of the event the tests look into. */
interface UrlEvent {
  headers: Record<string, string>;
  requestContext: { accountId: string; time: string; authorizer?: { iam: Record<string, unknown> } };
}

/**
 * Function URLs as clients reach them: the path form with fetch, the `.localhost` host form with the Host header,
 * AuthType NONE behind the resource policy, AWS_IAM refusing unsigned and accepting SigV4-signed requests, CORS
 * preflights answered by the URL, function errors, and a RESPONSE_STREAM URL read chunk by chunk.
 */
describe('Lambda function URLs', () => {
  let t: TestNode;
  let lambda: LambdaClient;
  let gate: Gate;
  const urls: Record<string, string> = {};
  /** The path form of a URL on the node: http://<node>/_flint/url/<url-id>/. */
  const pathUrl = (name: string, path = ''): string => `${t.node.url}/_flint/url/${idOf(urls[name]!)}/${path}`;
  const idOf = (url: string): string => new URL(url).hostname.split('.')[0]!;

  async function createUrl(name: string, authType: 'NONE' | 'AWS_IAM', extra: Record<string, unknown> = {}, permit = authType === 'NONE'): Promise<void> {
    const created = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: authType, ...extra }));
    urls[name] = created.FunctionUrl!;
    if (permit) {
      await lambda.send(new AddPermissionCommand({ FunctionName: name, StatementId: 'url', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' }));
    }
  }

  beforeAll(async () => {
    t = await startTestNode();
    lambda = new LambdaClient(t.config);
    gate = await Gate.start();
    for (const name of ['public', 'private', 'unpermitted', 'cors']) await createNodeFunction(lambda, name, sourceZip(ECHO));
    await createNodeFunction(lambda, 'streamed', streamingZip());
    await createNodeFunction(lambda, 'streamed-buffered', streamingZip());
    await createNodeFunction(lambda, 'slow', sourceZip('exports.handler = () => new Promise(() => {});'), 1);
    await createNodeFunction(lambda, 'throttled', sourceZip(ECHO));
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'throttled', ReservedConcurrentExecutions: 0 }));
    await createUrl('slow', 'NONE');
    await createUrl('throttled', 'NONE');
    await createUrl('public', 'NONE');
    await createUrl('private', 'AWS_IAM');
    await createUrl('unpermitted', 'NONE', {}, false);
    await createUrl('cors', 'NONE', { Cors: { AllowOrigins: ['https://app.example'], AllowMethods: ['POST'], AllowHeaders: ['content-type'], ExposeHeaders: ['x-echo'], MaxAge: 300 } });
    await createUrl('streamed', 'NONE', { InvokeMode: 'RESPONSE_STREAM' });
    await createUrl('streamed-buffered', 'NONE', { InvokeMode: 'BUFFERED' });
  });
  afterAll(async () => {
    lambda.destroy();
    await gate.close();
    await t.close();
  });
  beforeEach(() => gate.reset());

  it('sends the payload 2.0 event Lambda documents and answers with the function response', async () => {
    const response = await fetch(`${pathUrl('public', 'items/42')}?a=1&a=2&b=x`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'c1=v1; c2=v2', 'user-agent': 'flint-test' },
      body: '{"hello":"url"}',
    });
    expect(response.status).toBe(202);
    expect(response.headers.get('x-echo')).toBe('yes');
    expect(response.headers.getSetCookie()).toEqual(['session=1; Path=/']);
    const event = (await response.json()) as UrlEvent;
    const urlId = idOf(urls.public!);
    // https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html#urls-payloads
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/items/42',
      rawQueryString: 'a=1&a=2&b=x',
      cookies: ['c1=v1', 'c2=v2'],
      queryStringParameters: { a: '1,2', b: 'x' },
      body: '{"hello":"url"}',
      isBase64Encoded: false,
      requestContext: {
        accountId: 'anonymous',
        apiId: urlId,
        domainName: `${urlId}.lambda-url.us-east-1.on.aws`,
        domainPrefix: urlId,
        http: { method: 'POST', path: '/items/42', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'flint-test' },
        routeKey: '$default',
        stage: '$default',
      },
    });
    expect(event.requestContext.authorizer).toBeUndefined();
    expect(event.headers).toMatchObject({ 'content-type': 'application/json', 'x-forwarded-for': '127.0.0.1', 'x-forwarded-proto': 'http' });
    expect(event.headers.cookie).toBeUndefined();
    expect(event.requestContext.time).toMatch(/^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
  });

  it('answers requests to the <url-id>.lambda-url.<region>.localhost host', async () => {
    const host = `${idOf(urls.public!)}.lambda-url.us-east-1.localhost:${new URL(t.node.url).port}`;
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${t.node.url}/text`, { headers: { host } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.end();
    });
    // A bare string is the body of a 200 application/json answer (test_lambda.snapshot.json, test_lambda_url_invocation[string]).
    expect({ status, body }).toEqual({ status: 200, body: 'hello' });
  });

  it('answers 502 Internal Server Error when the function fails', async () => {
    const response = await fetch(pathUrl('public', 'fail'));
    // test_lambda.py TestLambdaURL::test_lambda_url_invocation_exception
    expect(response.status).toBe(502);
    expect(await response.text()).toBe('Internal Server Error');
  });

  it('answers 502 when the function times out, and 429 when it is throttled', async () => {
    // A timeout is a function error to the URL's front end: 502 as for a thrown error.
    const slow = await fetch(pathUrl('slow'));
    expect(slow.status).toBe(502);
    expect(await slow.text()).toBe('Internal Server Error');
    // https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html: throttled function URL calls get 429.
    const throttled = await fetch(pathUrl('throttled'));
    expect(throttled.status).toBe(429);
  });

  it('refuses a NONE URL whose policy does not allow lambda:InvokeFunctionUrl, and an unknown URL', async () => {
    const refused = await fetch(pathUrl('unpermitted'));
    expect(refused.status).toBe(403);
    expect(refused.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
    // test_lambda.snapshot.json, TestLambdaPermissions::test_lambda_permission_url_invocation
    expect(await refused.json()).toEqual({ Message: 'Forbidden. For troubleshooting Function URL authorization issues, see: https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html' });
    const unknown = await fetch(`${t.node.url}/_flint/url/${'0'.repeat(32)}/`);
    // test_lambda.py TestLambdaURL::test_lambda_url_non_existing_url
    expect(unknown.status).toBe(403);
    expect(await unknown.text()).toBe('{"Message":null}');
  });

  it('refuses an unsigned request to an AWS_IAM URL and accepts a SigV4-signed one, naming the signer', async () => {
    const unsigned = await fetch(pathUrl('private', 'me'));
    expect(unsigned.status).toBe(403);
    expect(((await unsigned.json()) as { Message: string }).Message).toMatch(/^Forbidden/);

    const url = new URL(pathUrl('private', 'me'));
    const signer = new SignatureV4({ service: 'lambda', region: 'us-east-1', credentials: t.config.credentials, sha256: Sha256 });
    const signed = await signer.sign({
      method: 'GET',
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      headers: { host: url.host },
    });
    const response = await fetch(url, { headers: signed.headers as Record<string, string> });
    expect(response.status).toBe(202);
    const event = (await response.json()) as UrlEvent;
    expect(event.requestContext.accountId).toBe('000000000000');
    expect(event.requestContext.authorizer?.iam).toMatchObject({ accessKey: 'test', accountId: '000000000000', userArn: 'arn:aws:iam::000000000000:root' });
  });

  it('answers a CORS preflight itself and puts the configured CORS headers on responses', async () => {
    const preflight = await fetch(pathUrl('cors'), {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(200);
    expect(Object.fromEntries([...preflight.headers].filter(([name]) => name.startsWith('access-control-')))).toEqual({
      'access-control-allow-origin': 'https://app.example',
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': 'content-type',
      'access-control-max-age': '300',
    });
    const actual = await fetch(pathUrl('cors'), { method: 'POST', headers: { origin: 'https://app.example' }, body: 'x' });
    expect(actual.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(actual.headers.get('access-control-expose-headers')).toBe('x-echo');
    const other = await fetch(pathUrl('cors'), { headers: { origin: 'https://elsewhere.example' } });
    // The function's own Access-Control-* headers give way to the URL's configuration.
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('streams a RESPONSE_STREAM URL to the client as the function writes, with the HTTP prelude applied', async () => {
    const response = await fetch(pathUrl('streamed'), { method: 'POST', body: JSON.stringify({ gate: gate.url, http: true }) });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-streamed')).toBe('yes');
    expect(response.headers.get('content-type')).toBe('text/plain');
    expect(response.headers.getSetCookie()).toEqual(['a=1']);
    const reader = response.body!.getReader();
    const first = await reader.read();
    // Read while the function waits at the gate: the first write reached the client on its own.
    expect(Buffer.from(first.value!).toString()).toBe('first;');
    gate.open();
    let rest = '';
    for (let next = await reader.read(); !next.done; next = await reader.read()) rest += Buffer.from(next.value).toString();
    expect(rest).toBe('second;');
  });

  it('gives a BUFFERED URL of a streaming function the whole body', async () => {
    gate.open();
    const response = await fetch(pathUrl('streamed-buffered'), { method: 'POST', body: JSON.stringify({ gate: gate.url, http: true }) });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-streamed')).toBe('yes');
    expect(await response.text()).toBe('first;second;');
  });
});
