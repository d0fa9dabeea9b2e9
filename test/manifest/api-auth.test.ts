/** flint.yaml's API stages, authorizers and route auth: validated against the app, normalised with API Gateway's defaults. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseManifest } from '../../src/manifest/index.js';
import { makeApp, problemLines, yaml } from './helpers.js';

const APP = (api: string[], auth: string): string =>
  yaml(
    'functions:',
    '  hello:',
    '    runtime: nodejs20.x',
    '    handler: src/index.handler',
    '    events:',
    `      - http: { method: GET, path: /hi, api: shop, auth: ${auth} }`,
    '  gate:',
    '    runtime: nodejs20.x',
    '    handler: src/index.gate',
    'apis:',
    '  shop:',
    ...api.map((line) => `    ${line}`),
  );

describe('API auth in flint.yaml', () => {
  let dir = '';
  let cleanup = (): void => {};
  beforeEach(() => ({ dir, cleanup } = makeApp({ 'src/': '' })));
  afterEach(() => cleanup());

  it('normalises a REST token authorizer with the defaults API Gateway uses', () => {
    const spec = parseManifest(APP(['payload: "1.0"', 'stage: prod', 'authorizers:', '  check: { function: gate }'], 'check'), join(dir, 'flint.yaml'));
    const api = spec.apis[0];
    expect(api?.stage).toBe('prod');
    expect(api?.authorizers).toEqual([
      { name: 'check', functionName: 'gate', type: 'token', identitySources: [{ in: 'header', name: 'Authorization' }], ttlSeconds: 300, payloadVersion: '2.0', simpleResponses: false },
    ]);
    expect(api?.routes[0]?.auth).toEqual({ kind: 'lambda', authorizer: 'check' });
  });

  it("reads API Gateway's identity source spellings and an HTTP API's zero default TTL", () => {
    const spec = parseManifest(APP(['authorizers:', '  check: { function: gate, identitySource: ["$request.header.X-Key", method.request.querystring.token] }'], 'iam'), join(dir, 'flint.yaml'));
    expect(spec.apis[0]?.authorizers?.[0]).toMatchObject({ type: 'request', ttlSeconds: 0, identitySources: [{ in: 'header', name: 'X-Key' }, { in: 'query', name: 'token' }] });
    expect(spec.apis[0]?.routes[0]?.auth).toEqual({ kind: 'iam' });
  });

  it('names what a route or an authorizer refers to that the app does not have', () => {
    expect(problemLines(APP(['authorizers:', '  check: { function: nobody }'], 'check'), dir)).toEqual([
      "flint.yaml:13:16: apis.shop.authorizers.check.function: no function 'nobody' in this app",
    ]);
    expect(problemLines(APP(['authorizers:', '  check: { function: gate }'], 'other'), dir)).toEqual([
      "flint.yaml:6:52: functions.hello.events[0].http.auth: unknown auth 'other': expected none, iam or one of the API's authorizers (check)",
    ]);
  });
});
