import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, LambdaHarness } from './harness.js';

describe('Lambda API: routing, request bodies and limits', () => {
  let h: LambdaHarness;
  beforeAll(async () => {
    h = await LambdaHarness.start();
    await h.createFunction('routed');
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers operations Flint does not implement with UnknownOperationException, which SDKs understand', async () => {
    for (const [method, path] of [
      // GetRuntimeManagementConfig and CreateCodeSigningConfig (tags, policies and function URLs, named here before
      // Flint had them, are served now).
      ['GET', '/2021-07-20/functions/routed/runtime-management-config'],
      ['POST', '/2020-04-22/code-signing-configs/'],
      // GetRuntimeManagementConfig, with a trailing slash (event source mappings and layers, which earlier harnesses
      // named here, are served now).
      ['GET', '/2021-07-20/functions/routed/runtime-management-config/'],
      ['PATCH', '/2015-03-31/functions/routed'],
      ['GET', '/'],
    ] as const) {
      const answer = await h.call({ method, path });
      expect(errorOf(answer)).toEqual({ status: 404, type: 'UnknownOperationException', body: { message: expect.stringContaining(method) } });
      expect(answer.headers['x-amzn-RequestId']).toBeTruthy();
    }
  });

  it('reads percent-encoded names and ignores a trailing slash', async () => {
    const encoded = await h.call({ method: 'GET', path: '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Arouted/' });
    expect(encoded.status).toBe(200);
    expect((await h.call({ method: 'GET', path: '/2015-03-31/functions' })).status).toBe(200);
    expect((await h.call({ method: 'GET', path: '/2015-03-31/functions/' })).status).toBe(200);
  });

  it('asks the gateway for 70 MB bodies on code uploads and 6 MB elsewhere', () => {
    expect(h.service.bodyLimit('POST', '/2015-03-31/functions')).toBe(70_167_211);
    expect(h.service.bodyLimit('POST', '/2015-03-31/functions/')).toBe(70_167_211);
    expect(h.service.bodyLimit('PUT', '/2015-03-31/functions/f/code')).toBe(70_167_211);
    expect(h.service.bodyLimit('PUT', '/2015-03-31/functions/f/configuration')).toBe(6_291_456);
    expect(h.service.bodyLimit('POST', '/2015-03-31/functions/f%3A1/invocations')).toBe(6_291_456);
  });

  it('words an oversized code upload as Lambda does', async () => {
    const answer = await h.call({ method: 'POST', path: '/2015-03-31/functions', bodyTooLarge: true });
    expect(errorOf(answer)).toEqual({
      status: 413,
      type: 'RequestEntityTooLargeException',
      body: { message: 'Request must be smaller than 70167211 bytes for the CreateFunction operation' },
    });
    const update = await h.call({ method: 'PUT', path: '/2015-03-31/functions/routed/code', bodyTooLarge: true });
    expect(errorOf(update).body.message).toBe('Request must be smaller than 70167211 bytes for the UpdateFunctionCode operation');
  });

  it('refuses a body that is not JSON, and fields of the wrong type', async () => {
    const broken = await h.call({ method: 'PUT', path: '/2015-03-31/functions/routed/configuration', body: '{"Timeout": ' });
    expect(errorOf(broken)).toMatchObject({ status: 400, type: 'InvalidRequestContentException', body: { Type: 'User', message: expect.stringMatching(/^Could not parse request body into json: /) } });
    const wrongType = await h.call({ method: 'PUT', path: '/2015-03-31/functions/routed/configuration', body: { Timeout: 'long' } });
    expect(errorOf(wrongType)).toEqual({
      status: 400,
      type: 'ValidationException',
      body: { message: "1 validation error detected: Value 'long' at 'timeout' failed to satisfy constraint: Member must be of type number" },
    });
    const nulls = await h.call({ method: 'PUT', path: '/2015-03-31/functions/routed/configuration', body: { Timeout: null, Description: 'null means absent' } });
    expect(nulls.json()).toMatchObject({ Timeout: 3, Description: 'null means absent' });
  });

  it('refuses a malformed function name with ValidationException', async () => {
    const answer = await h.call({ method: 'GET', path: '/2015-03-31/functions/bad%20name' });
    expect(errorOf(answer).type).toBe('ValidationException');
    expect(errorOf(answer).body.message).toMatch(/^1 validation error detected: Value 'bad name' at 'functionName' failed to satisfy constraint/);
  });
});
