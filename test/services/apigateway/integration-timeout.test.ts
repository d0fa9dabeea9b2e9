/**
 * API Gateway stops waiting for a Lambda integration after 29 s on REST APIs and 30 s on HTTP APIs
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html), answering 504 "Endpoint request timed out"
 * (REST) and 503 "Service Unavailable" (HTTP APIs), whatever the function's own timeout. Driven on a FakeClock.
 */
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/core/index.js';
import { HttpApis, type ApiInvocation, type DeployedApi } from '../../../src/services/apigateway/index.js';
import { HTTP_API, REST_API, request } from './helpers.js';

function apisWith(clock: FakeClock, answer: Promise<ApiInvocation>): HttpApis {
  const apis = new HttpApis(() => answer, { clock });
  const routes = [{ routeKey: 'GET /work', functionName: 'worker' }];
  const deployed: DeployedApi[] = [{ config: { ...REST_API, id: 'restapi001', stage: 'prod' }, routes }, { config: { ...HTTP_API, id: 'httpapi001' }, routes: [{ routeKey: 'GET /job', functionName: 'worker' }] }];
  apis.setApis(deployed);
  return apis;
}

describe('the integration timeout', () => {
  it.each([
    ['REST', '/prod/work', 29_000, 504, '{"message": "Endpoint request timed out"}'],
    ['HTTP', '/job', 30_000, 503, '{"message":"Service Unavailable"}'],
  ])('%s: answers when the limit passes, not a millisecond before', async (_kind, path, limit, status, body) => {
    const clock = new FakeClock();
    const never = new Promise<ApiInvocation>(() => undefined);
    const pending = apisWith(clock, never).handle(request({ rawPath: path, host: 'localhost:4566' }));
    let settled = false;
    void pending.then(() => (settled = true));
    await clock.advance(limit - 1);
    expect(settled).toBe(false);
    await clock.advance(1);
    const res = await pending;
    expect(res?.statusCode).toBe(status);
    expect(res?.body.toString()).toBe(body);
  });

  it('answers with the function when it finishes first', async () => {
    const clock = new FakeClock();
    const done = Promise.resolve<ApiInvocation>({ status: 'success', payload: Buffer.from('{"statusCode":201,"body":"ok"}') });
    const res = await apisWith(clock, done).handle(request({ rawPath: '/prod/work', host: 'localhost:4566' }));
    expect(res?.statusCode).toBe(201);
  });
});
