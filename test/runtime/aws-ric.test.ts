import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Instance } from '../../src/runtime/index.js';
import { createHarness, json, request } from './harness.js';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/aws-ric');

/**
 * AWS's own runtime interface client (npm aws-lambda-ric, native code built from source) against Flint's
 * Runtime API. npm test installs it (scripts/test-tools.sh: the build toolchain from Debian, then
 * `npm ci --prefix test/fixtures/aws-ric`).
 */
describe("AWS's Node.js runtime interface client on Flint's Runtime API", () => {
  const h = createHarness('process');
  const instances: Instance[] = [];
  afterAll(async () => {
    await Promise.all(instances.map((i) => i.stop()));
    h.cleanup();
  });
  const start = (handler: string): Instance => {
    const instance = h.host.createInstance({ ...h.config({ fixture: 'node-cjs' }), codeDir: FIXTURE, runtime: 'provided.al2023', handler });
    instances.push(instance);
    return instance;
  };

  it('gets events with Lambda headers and answers them, warm', async () => {
    const fn = start('index.handler');
    const first = request({ a: 1 });
    const outcome = await fn.invoke(first);
    expect(outcome.status).toBe('success');
    expect(json(outcome.payload)).toEqual({ fromRic: true, event: { a: 1 }, requestId: first.requestId, functionName: 'fn', hasTime: true });
    expect(outcome.logTail).toMatch(new RegExp(`${first.requestId}\\tINFO\\tric handling \\{"a":1\\}`));
    const second = await fn.invoke(request({ a: 2 }));
    expect((json(second.payload) as { event: unknown }).event).toEqual({ a: 2 });
    expect(second.initDurationMs).toBeUndefined();
  });

  it('posts handler errors to the Runtime API as Lambda error documents', async () => {
    const outcome = await start('index.fails').invoke(request({}));
    expect(outcome.status).toBe('error');
    expect(outcome.errorType).toBe('TypeError');
    expect(json(outcome.payload)).toMatchObject({ errorType: 'TypeError', errorMessage: 'ric failure' });
  });

  it('reports a missing handler through /runtime/init/error', async () => {
    const outcome = await start('index.nothing').invoke(request({}));
    expect(outcome.status).toBe('init-error');
    expect(json(outcome.payload)).toMatchObject({ errorType: 'Runtime.HandlerNotFound' });
  });
});
