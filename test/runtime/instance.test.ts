import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/index.js';
import type { Instance } from '../../src/runtime/index.js';
import { createHarness, describeBwrap, json, request, SANDBOXES, type Harness } from './harness.js';


/** The same behaviour is required of every sandbox: this suite runs once per implementation. */
describe.each(SANDBOXES)('instance in the %s sandbox', (kind) => {
  let h: Harness;
  const started: Instance[] = [];
  const instance = (overrides: Parameters<Harness['config']>[0]): Instance => {
    const created = h.host.createInstance(h.config(overrides));
    started.push(created);
    return created;
  };

  beforeAll(() => {
    h = createHarness(kind);
  });
  afterAll(async () => {
    await Promise.all(started.map((i) => i.stop()));
    h.cleanup();
  });

  it('runs a CommonJS handler with Lambda context and environment, cold then warm', async () => {
    const fn = instance({ fixture: 'node-cjs', environment: { GREETING: 'hi' } });
    const first = await fn.invoke(request({ n: 1 }, { clientContext: JSON.stringify({ custom: { a: 1 } }) }));
    expect(first.status).toBe('success');
    const body = json(first.payload) as Record<string, Record<string, unknown>>;
    expect(body.calls).toBe(1);
    expect(body.event).toEqual({ n: 1 });
    expect(body.context).toMatchObject({
      functionName: 'fn',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:fn',
      memoryLimitInMB: '256',
      logGroupName: '/aws/lambda/fn',
      callbackWaitsForEmptyEventLoop: true,
      clientContext: { custom: { a: 1 } },
    });
    expect(body.context!.remaining).toBeGreaterThan(2000);
    expect(body.context!.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(body.env).toMatchObject({ AWS_LAMBDA_FUNCTION_NAME: 'fn', AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand', AWS_REGION: 'us-east-1', GREETING: 'hi', _HANDLER: 'index.handler', AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' });
    expect(body.env!.cwd).toBe(body.env!.LAMBDA_TASK_ROOT);
    expect(first.initDurationMs).toBeGreaterThan(0);
    expect(first.logTail).toContain('init-time log');
    expect(first.logTail).toMatch(/START RequestId: [0-9a-f-]{36} Version: \$LATEST/);
    expect(first.logTail).toMatch(/\tINFO\thandling \{"n":1\}/);
    expect(first.logTail).toMatch(/REPORT RequestId: .*\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 256 MB\tMax Memory Used: \d+ MB\tInit Duration: [\d.]+ ms/);

    const second = await fn.invoke(request({ n: 2 }));
    expect((json(second.payload) as { calls: number }).calls).toBe(2);
    expect((json(second.payload) as { loadedAt: number }).loadedAt).toBe(body.loadedAt);
    expect(second.initDurationMs).toBeUndefined();
    expect(second.logTail).not.toContain('Init Duration');
    expect(fn.state).toBe('idle');
  });

  it('counts a cold start\'s timeout from the end of init, as Lambda does, though the event travels with init', async () => {
    const fn = instance({ fixture: 'node-slow-init', timeout: 1, environment: { INIT_MS: '700' } });
    const first = await fn.invoke(request({}));
    expect(first.status).toBe('success');
    expect(first.initDurationMs).toBeGreaterThanOrEqual(700);
    // Counted from before init, at most 300 ms would remain.
    expect((json(first.payload) as { remaining: number }).remaining).toBeGreaterThan(800);
  });

  it('takes an event of 5 MB, which reaches the process in many chunks', async () => {
    const fn = instance({ fixture: 'node-cjs' });
    const big = 'x'.repeat(5 * 1024 * 1024);
    const outcome = await fn.invoke(request({ big }));
    expect(outcome.status).toBe('success');
    expect((json(outcome.payload) as { event: { big: string } }).event.big).toBe(big);
  });

  it('starts the runtime through the wrapper script named by AWS_LAMBDA_EXEC_WRAPPER', async () => {
    const fn = instance({ fixture: 'node-wrapper', environment: { AWS_LAMBDA_EXEC_WRAPPER: '/var/task/wrapper.sh' } });
    const outcome = await fn.invoke(request({}));
    expect(outcome.status).toBe('success');
    const body = json(outcome.payload) as { wrappedBy: string; wrappedArgs: string };
    expect(body.wrappedBy).toMatch(/wrapper\.sh$/);
    expect(body.wrappedArgs).toMatch(/node .*bootstrap\.cjs$/);
    expect(h.host.canUseStemCell(h.config({ fixture: 'node-wrapper', environment: { AWS_LAMBDA_EXEC_WRAPPER: '/var/task/wrapper.sh' } }))).toBeUndefined();
  });

  it('fails the invocation, not the node, when the wrapper script does not exist', async () => {
    const fn = instance({ fixture: 'node-wrapper', environment: { AWS_LAMBDA_EXEC_WRAPPER: '/var/task/missing.sh' } });
    const outcome = await fn.invoke(request({}));
    expect(outcome.status).toBe('crash');
    expect(outcome.errorType).toBe('Runtime.ExitError');
    expect(fn.state).toBe('dead');
  });

  it('keeps log lines in order and attributed to their request', async () => {
    const fn = instance({ fixture: 'node-cjs' });
    const req = request({ order: true });
    await fn.invoke(req);
    const lines = h.logs.messages(req.requestId);
    const start = lines.findIndex((l) => l.startsWith('START'));
    const handling = lines.findIndex((l) => l.includes('handling'));
    const end = lines.findIndex((l) => l.startsWith('END'));
    const report = lines.findIndex((l) => l.startsWith('REPORT'));
    expect([start, handling, end, report].every((i) => i >= 0)).toBe(true);
    expect(start).toBeLessThan(handling);
    expect(handling).toBeLessThan(end);
    expect(end).toBeLessThan(report);
    expect(lines[handling]).toMatch(new RegExp(`^\\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z\\t${req.requestId}\\tINFO\\thandling`));
  });

  it('runs an ES module handler with top-level await that imports the runtime-provided AWS SDK', async () => {
    const fn = instance({ fixture: 'node-esm', handler: 'index.handler' });
    const outcome = await fn.invoke(request({ x: 1 }));
    expect(outcome.status).toBe('success');
    expect(json(outcome.payload)).toEqual({ esm: true, started: 'number', sdk: 'function', name: 'fn', echo: { x: 1 } });
  });

  it('supports callback handlers, waiting for the event loop unless told not to', async () => {
    const waits = await instance({ fixture: 'node-callback', handler: 'index.waits' }).invoke(request({}));
    expect(json(waits.payload)).toEqual({ timerFiredAtCallback: false });
    expect(waits.logTail).toContain('timer fired');
    const early = await instance({ fixture: 'node-callback', handler: 'index.noWait' }).invoke(request({}));
    expect(json(early.payload)).toBe('answered early');
    expect(early.logTail).not.toContain('late timer');
    const failed = await instance({ fixture: 'node-callback', handler: 'index.error' }).invoke(request({}));
    expect(failed.status).toBe('error');
    expect(json(failed.payload)).toMatchObject({ errorType: 'TypeError', errorMessage: 'bad input' });
    const legacy = await instance({ fixture: 'node-callback', handler: 'index.legacySucceed' }).invoke(request({}));
    expect(json(legacy.payload)).toEqual({ legacy: true });
  });

  it("returns Lambda's error document for a thrown error and keeps the instance", async () => {
    const fn = instance({ fixture: 'node-errors', handler: 'index.throws' });
    const outcome = await fn.invoke(request({}));
    expect(outcome.status).toBe('error');
    expect(outcome.errorType).toBe('ValidationError');
    const doc = json(outcome.payload) as { errorType: string; errorMessage: string; trace: string[] };
    expect(doc.errorType).toBe('ValidationError');
    expect(doc.errorMessage).toBe('name is required');
    expect(doc.trace[0]).toBe('ValidationError: name is required');
    expect(doc.trace[1]).toMatch(/at .*index\.js/);
    expect(outcome.logTail).toMatch(/\tERROR\tInvoke Error \t\{"errorType":"ValidationError"/);
    expect(fn.state).toBe('idle');
    const thrownString = await instance({ fixture: 'node-errors', handler: 'index.throwsString' }).invoke(request({}));
    expect(json(thrownString.payload)).toEqual({ errorType: 'string', errorMessage: 'plain string', trace: [] });
    const circular = await instance({ fixture: 'node-errors', handler: 'index.circular' }).invoke(request({}));
    expect(circular.errorType).toBe('Runtime.MarshalError');
  });

  it('reports init errors with their Lambda types', async () => {
    const missing = await instance({ fixture: 'node-errors', handler: 'index.nope' }).invoke(request({}));
    expect(missing.status).toBe('init-error');
    expect(json(missing.payload)).toMatchObject({ errorType: 'Runtime.HandlerNotFound', errorMessage: 'index.nope is undefined or not exported' });
    expect(missing.logTail).toMatch(/INIT_REPORT Init Duration: [\d.]+ ms\tPhase: init\tStatus: error\tError Type: Runtime.HandlerNotFound/);
    const notFunction = await instance({ fixture: 'node-errors', handler: 'index.notAFunction' }).invoke(request({}));
    expect(json(notFunction.payload)).toMatchObject({ errorType: 'Runtime.HandlerNotFound', errorMessage: 'index.notAFunction is not a function' });
    const noModule = await instance({ fixture: 'node-errors', handler: 'missing.handler' }).invoke(request({}));
    expect(json(noModule.payload)).toMatchObject({ errorType: 'Runtime.ImportModuleError' });
    expect((json(noModule.payload) as { errorMessage: string }).errorMessage).toContain("Cannot find module 'missing'");
  });

  it('stops the instance after an unhandled rejection and a process exit, reporting both', async () => {
    const rejecting = instance({ fixture: 'node-errors', handler: 'index.rejects' });
    const rejected = await rejecting.invoke(request({}));
    expect(rejected.status).toBe('error');
    expect(json(rejected.payload)).toMatchObject({ errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: 'Error: nobody caught me' });
    await expect.poll(() => rejecting.state).toBe('dead');

    const exiting = instance({ fixture: 'node-cjs', handler: 'index.exit' });
    const crashed = await exiting.invoke(request({ code: 3 }));
    expect(crashed.status).toBe('crash');
    expect(crashed.errorType).toBe('Runtime.ExitError');
    expect(json(crashed.payload)).toEqual({ errorType: 'Runtime.ExitError', errorMessage: expect.stringMatching(/^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: exit status 3$/) });
    expect(crashed.logTail).toMatch(/Status: error\tError Type: Runtime.ExitError/);
    expect(exiting.state).toBe('dead');
    await expect(exiting.invoke(request({}))).rejects.toMatchObject({ code: 'INSTANCE_FAILED' });
  });

  it("answers Lambda's error when the response exceeds 6 MB", async () => {
    const fn = instance({ fixture: 'node-cjs', handler: 'index.big' });
    const outcome = await fn.invoke(request({ size: 6 * 1024 * 1024 + 10 }));
    expect(outcome.status).toBe('error');
    expect(json(outcome.payload)).toEqual({ errorType: 'Function.ResponseSizeTooLarge', errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).' });
    const fits = await fn.invoke(request({ size: 1024 }));
    expect(fits.status).toBe('success');
  });

  it('gives each instance a private temporary folder that goes with it', async () => {
    const writer = instance({ fixture: 'node-cjs' });
    const wrote = json((await writer.invoke(request({ tmp: 'secret' }))).payload) as { tmpdir: string };
    const reader = instance({ fixture: 'node-cjs', handler: 'index.readTmp' });
    expect(json((await reader.invoke(request({}))).payload)).toBe('ENOENT');
    const sameInstance = await writer.invoke(request({}));
    expect((json(sameInstance.payload) as { tmpdir: string }).tmpdir).toBe(wrote.tmpdir);
  });

  it('runs a custom runtime bootstrap written in shell against the Runtime API', async () => {
    const fn = instance({ fixture: 'provided-sh', runtime: 'provided.al2023', handler: 'function.handler' });
    const ok = await fn.invoke(request({ hello: 'world' }));
    expect(ok.status).toBe('success');
    const body = json(ok.payload) as { echo: unknown; requestId: string };
    expect(body.echo).toEqual({ hello: 'world' });
    expect(ok.logTail).toContain('init: handler is function.handler');
    expect(ok.logTail).toContain('got event {"hello":"world"}');
    const failed = await fn.invoke(request({ fail: true }));
    expect(failed.status).toBe('error');
    expect(json(failed.payload)).toEqual({ errorMessage: 'asked to fail', errorType: 'Custom.Failure' });
    const again = await fn.invoke(request({ n: 3 }));
    expect((json(again.payload) as { echo: unknown }).echo).toEqual({ n: 3 });
  });

  it('runs a custom runtime in Python and reports its init errors', async () => {
    const fn = instance({ fixture: 'provided-py', runtime: 'provided', handler: 'app.handler' });
    const ok = await fn.invoke(request({ a: 1 }));
    expect(json(ok.payload)).toMatchObject({ event: { a: 1 }, arn: 'arn:aws:lambda:us-east-1:123456789012:function:fn', handler: 'app.handler' });
    const broken = instance({ fixture: 'provided-py', runtime: 'provided', environment: { FAIL_INIT: '1' } });
    const failed = await broken.invoke(request({}));
    expect(failed.status).toBe('init-error');
    expect(json(failed.payload)).toEqual({ errorMessage: 'config missing', errorType: 'Custom.InitFailure' });
  });

  it('reports a missing bootstrap as Lambda does', async () => {
    const outcome = await instance({ fixture: 'node-cjs', runtime: 'provided.al2' }).invoke(request({}));
    expect(outcome.status).toBe('init-error');
    expect(json(outcome.payload)).toMatchObject({ errorType: 'Runtime.InvalidEntrypoint' });
  });
});

describe.each(SANDBOXES)('limits in the %s sandbox', (kind) => {
  it('times out on the fake clock and kills the instance', async () => {
    const h = createHarness(kind, { fake: true });
    const clock = h.clock as FakeClock;
    const fn = h.host.createInstance(h.config({ fixture: 'node-cjs', handler: 'index.hang', timeout: 2 }));
    await fn.start();
    const pid = fn.pid!;
    const pending = fn.invoke(request({}));
    await clock.advance(1999);
    expect(fn.state).toBe('busy');
    await clock.advance(1);
    const outcome = await pending;
    expect(outcome.status).toBe('timeout');
    expect(outcome.errorType).toBe('Sandbox.Timedout');
    expect(json(outcome.payload)).toEqual({ errorType: 'Sandbox.Timedout', errorMessage: expect.stringMatching(/^RequestId: [0-9a-f-]{36} Error: Task timed out after 2\.00 seconds$/) });
    expect(outcome.durationMs).toBe(2000);
    expect(outcome.logTail).toMatch(/Status: timeout/);
    expect(outcome.logTail).toMatch(/Task timed out after 2\.00 seconds/);
    expect(fn.state).toBe('dead');
    await expect.poll(() => processAlive(pid)).toBe(false);
    h.cleanup();
  });

  it('stops an instance that exceeds its memory size and reports it as out of memory', async () => {
    const h = createHarness(kind, { memoryPollMs: 20 });
    const fn = h.host.createInstance(h.config({ fixture: 'node-cjs', handler: 'index.alloc', memorySize: 128 }));
    const outcome = await fn.invoke(request({ mb: 400 }));
    expect(outcome.status).toBe('oom');
    expect(outcome.errorType).toBe('Runtime.OutOfMemory');
    expect(outcome.logTail).toMatch(/Error Type: Runtime.OutOfMemory/);
    expect(fn.state).toBe('dead');
    await fn.stop();
    h.cleanup();
  });

  it('reports the peak memory used', async () => {
    const h = createHarness(kind, { memoryPollMs: 20 });
    const fn = h.host.createInstance(h.config({ fixture: 'node-cjs', handler: 'index.alloc', memorySize: 1024 }));
    const outcome = await fn.invoke(request({ mb: 200 }));
    expect(outcome.status).toBe('success');
    expect(outcome.maxMemoryUsedMb).toBeGreaterThan(200);
    expect(outcome.maxMemoryUsedMb).toBeLessThan(1024);
    await fn.stop();
    h.cleanup();
  });
});

describeBwrap('bwrap isolation', () => {
  it('limits /tmp to the ephemeral storage size and shows code at /var/task', async () => {
    const h = createHarness('bwrap');
    const fn = h.host.createInstance(h.config({ fixture: 'node-cjs', handler: 'index.tmpSize', ephemeralStorage: 512 }));
    expect(json((await fn.invoke(request({ mb: 600 }))).payload)).toBe('ENOSPC');
    expect(json((await fn.invoke(request({ mb: 100 }))).payload)).toBe('wrote');
    const env = h.host.createInstance(h.config({ fixture: 'node-cjs' }));
    const body = json((await env.invoke(request({}))).payload) as { env: { LAMBDA_TASK_ROOT: string }; tmpdir: string };
    expect(body.env.LAMBDA_TASK_ROOT).toBe('/var/task');
    expect(body.tmpdir).toBe('/tmp');
    await Promise.all([fn.stop(), env.stop()]);
    h.cleanup();
  });
});

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.each(SANDBOXES)('stem cells in the %s sandbox', (kind) => {
  it('become a Node.js function in milliseconds, with its code, environment and the runtime SDK', async () => {
    const h = createHarness(kind);
    const cell = h.host.spawnStemCell('nodejs');
    const config = h.config({ fixture: 'node-cjs', environment: { GREETING: 'from a stem cell' } });
    expect(h.host.canUseStemCell(config)).toBe(`nodejs:${process.execPath}`);
    // Let the process reach its idle wait: a stem cell is started ahead of need.
    await expect.poll(() => cell.process.child.pid !== undefined).toBe(true);
    const fn = h.host.createInstance(config, cell);
    const outcome = await fn.invoke(request({ n: 1 }));
    expect(outcome.status).toBe('success');
    const body = json(outcome.payload) as { env: Record<string, string>; context: { functionName: string } };
    expect(body.env.GREETING).toBe('from a stem cell');
    expect(body.env.AWS_LAMBDA_FUNCTION_NAME).toBe('fn');
    expect(body.env.cwd).toBe(body.env.LAMBDA_TASK_ROOT);
    expect(fn.origin).toBe('stem-cell');
    expect(outcome.initDurationMs).toBeGreaterThan(0);
    const esm = h.host.createInstance(h.config({ fixture: 'node-esm' }), h.host.spawnStemCell('nodejs'));
    expect(json((await esm.invoke(request({}))).payload)).toMatchObject({ esm: true, sdk: 'function' });
    await Promise.all([fn.stop(), esm.stop()]);
    h.cleanup();
  });

  it('become a Python function', async () => {
    const h = createHarness(kind);
    const cell = h.host.spawnStemCell('python');
    const fn = h.host.createInstance(h.config({ fixture: '../python', runtime: 'python3.11', handler: 'context_info.handler' }), cell);
    const outcome = await fn.invoke(request({ x: 1 }));
    expect(outcome.status).toBe('success');
    await fn.stop();
    h.cleanup();
  });

  it('are not used where a start-up variable or another /tmp size matters', () => {
    const h = createHarness(kind);
    expect(h.host.canUseStemCell(h.config({ fixture: 'node-cjs', environment: { NODE_OPTIONS: '--enable-source-maps' } }))).toBeUndefined();
    expect(h.host.canUseStemCell(h.config({ fixture: 'node-cjs', ephemeralStorage: 1024 }))).toBeUndefined();
    expect(h.host.canUseStemCell(h.config({ fixture: 'provided-sh', runtime: 'provided.al2023' }))).toBeUndefined();
    h.cleanup();
  });

  it('are not used for a package too big to link quickly, where attaching code links every file', () => {
    const h = createHarness(kind);
    const big = mkdtempSync(join(tmpdir(), 'flint-big-code-'));
    try {
      writeFileSync(join(big, 'index.js'), 'exports.handler = async () => 1;');
      mkdirSync(join(big, 'node_modules'));
      for (let i = 0; i < 1000; i++) writeFileSync(join(big, 'node_modules', `m${i}.js`), '');
      const config = { ...h.config({ fixture: 'node-cjs' }), codeDir: big };
      expect(h.host.canUseStemCell(config)).toBe(kind === 'bwrap' ? undefined : `nodejs:${process.execPath}`);
      expect(h.host.canUseStemCell(h.config({ fixture: 'node-cjs' }))).toBe(`nodejs:${process.execPath}`);
    } finally {
      rmSync(big, { recursive: true, force: true });
      h.cleanup();
    }
  });
});
