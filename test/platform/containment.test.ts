/**
 * Hostile functions on a real node (issue 14, "Containment"): each gets the error Lambda gives, harms nothing but
 * its own instance, and a well-behaved neighbour keeps serving meanwhile, its p99 within 2× of its quiet figure.
 * The node runs its instances in bwrap with a cgroup each; where the machine gives neither (no root), the weaker
 * isolation Flint reports is tested instead (describeContained).
 */
import { CreateFunctionCommand, InvokeCommand, LambdaClient, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createZip } from '../../src/functions/index.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { describeContained } from '../runtime/harness.js';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/runtime/hostile');
const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';
/** A variable of the node's own environment that no function may see. */
const SECRET = 'FLINT_CONTAINMENT_SECRET';

let t: TestNode;
let lambda: LambdaClient;
// Outside /tmp, so that hiding it does not come for free with the instances' private /tmp.
const dataDir = mkdtempSync('/var/tmp/flint-containment-');


async function invoke(name: string, event: unknown): Promise<{ out: InvokeCommandOutput; body: unknown; log: string }> {
  const out = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)), LogType: 'Tail' }));
  const text = Buffer.from(out.Payload ?? []).toString('utf8');
  return { out, body: text ? JSON.parse(text) : undefined, log: Buffer.from(out.LogResult ?? '', 'base64').toString('utf8') };
}

/** The neighbour's latencies, one invocation at a time, while `during` runs (and at least `min` of them). */
async function neighbourLatencies(during: Promise<unknown>, min = 40): Promise<number[]> {
  let done = false;
  void during.finally(() => (done = true));
  const samples: number[] = [];
  while (!done || samples.length < min) {
    const started = performance.now();
    const { body } = await invoke('neighbour', { do: 'ok' });
    samples.push(performance.now() - started);
    expect(body).toBe('ok');
  }
  return samples;
}

function p99(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!;
}

/**
 * Runs one hostile invocation on a warm instance and checks the neighbour served through it as fast as just before
 * (p99 within 2×). Warm: what is measured is the attack, not the cold start before it. The p99 of a few dozen
 * samples moves with whatever else the machine runs (other test files): an attack that harms the neighbour does so
 * every time, so up to three attempts are made and one within the bound passes.
 */
async function withNeighbour(name: string, event: { do: string } & Record<string, unknown>): ReturnType<typeof invoke> {
  const figures: string[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    expect((await invoke(name, { do: 'ok' })).body).toBe('ok');
    const quiet = p99(await neighbourLatencies(Promise.resolve(), 60));
    const running = invoke(name, event);
    const loaded = p99(await neighbourLatencies(running));
    if (loaded <= 2 * quiet) return running;
    figures.push(`${loaded.toFixed(1)} ms under attack vs ${quiet.toFixed(1)} ms quiet`);
    await running;
  }
  return expect.fail(`neighbour p99 above 2× its quiet figure in every attempt: ${figures.join('; ')}`);
}

/** Processes on this machine whose command line contains `marker`. */
function processesWith(marker: string): number {
  let count = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker)) count++;
    } catch {
      // gone meanwhile
    }
  }
  return count;
}

describeContained('a hostile function harms nothing but itself', () => {
  beforeAll(async () => {
    process.env[SECRET] = 'do-not-leak';
    t = await startTestNode({ dataDir: join(dataDir, 'data'), sandbox: 'bwrap' });
    lambda = new LambdaClient({ ...t.config, maxAttempts: 1 });
    const zip = createZip(readdirSync(FIXTURE).map((name) => ({ path: name, data: readFileSync(join(FIXTURE, name)), mode: 0o644 })));
    const create = (name: string, memory: number, timeout: number) =>
      lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zip }, MemorySize: memory, Timeout: timeout }));
    // Timeouts: long where the attack itself takes time on a busy machine (faulting in 128 MB), short where it is the point.
    await Promise.all([create('neighbour', 128, 10), create('glutton', 128, 30), create('hostile', 128, 4), create('bomber', 1024, 8), create('brief', 128, 1), create('roomy', 1024, 3)]);
    await invoke('neighbour', { do: 'ok' });
  }, 60_000);

  afterAll(async () => {
    delete process.env[SECRET];
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is stopped by the kernel the moment it exceeds its memory size, and reported Runtime.OutOfMemory', async () => {
    const { out, body, log } = await withNeighbour('glutton', { do: 'hog' });
    // Lambda's answer for an environment killed for memory: an unhandled function error of type Runtime.OutOfMemory.
    expect(out.FunctionError).toBe('Unhandled');
    expect(body).toEqual({ errorType: 'Runtime.OutOfMemory', errorMessage: expect.stringMatching(/Error: Runtime exited with error: signal: killed$/) });
    expect(log).toMatch(/REPORT RequestId: .*Memory Size: 128 MB\tMax Memory Used: 128 MB\t.*Status: error\tError Type: Runtime.OutOfMemory/);
  });

  it('stops the whole instance when a process it started runs out of memory', async () => {
    const { body } = await invoke('glutton', { do: 'childHog' });
    expect(body).toMatchObject({ errorType: 'Runtime.OutOfMemory' });
  });

  it('bounds the processes and threads it starts at 1,024, and kills all of them with the instance', async () => {
    const { body, log } = await withNeighbour('bomber', { do: 'forkBomb' });
    expect(body).toMatchObject({ errorType: 'Sandbox.Timedout' });
    // Lambda's quota counts processes and threads alike, and so does pids.max: the runtime's own threads are in it.
    const started = Number(/threads started: (\d+)/.exec(log)?.[1]);
    expect(started).toBeGreaterThan(900);
    expect(started).toBeLessThan(1024);
    await expect.poll(() => processesWith('flint_threads'), { timeout: 10_000 }).toBe(0);
  });

  it('is stopped at its timeout when it spins on the CPU', async () => {
    const { body } = await withNeighbour('brief', { do: 'spin' });
    expect(body).toMatchObject({ errorType: 'Sandbox.Timedout', errorMessage: expect.stringMatching(/Task timed out after 1\.00 seconds$/) });
  });

  it('is stopped at its timeout when it never answers', async () => {
    const { body, log } = await invoke('brief', { do: 'hang' });
    expect(body).toMatchObject({ errorType: 'Sandbox.Timedout' });
    expect(log).toMatch(/Status: timeout/);
  });

  it('fills only its own /tmp, which the next instance does not see', async () => {
    expect((await invoke('roomy', { do: 'fillTmp', mb: 64 })).body).toEqual({ written: 64, error: null });
    expect((await invoke('roomy', { do: 'leaveTmp' })).body).toMatchObject({ errorType: 'Sandbox.Timedout' });
    expect((await invoke('roomy', { do: 'lsTmp' })).body).toEqual([]);
  });

  it("sees neither Flint's data folder (the database, other functions' code) nor the node's processes and environment", async () => {
    const data = resolve(dataDir, 'data');
    const { body } = await invoke('hostile', { do: 'read', paths: [data, join(data, 'flint.db'), join(dataDir, 'data', 'code')] });
    expect(body).toEqual({ [data]: 'dir:0', [join(data, 'flint.db')]: 'ENOENT', [join(data, 'code')]: 'ENOENT' });
    const procs = (await invoke('hostile', { do: 'procs', variable: SECRET })).body as { pids: string[]; environ: Record<string, string> };
    // Its own PID namespace: the runtime and the processes it started, nothing else.
    expect(procs.pids.length).toBeLessThan(10);
    expect(Object.values(procs.environ).filter((value) => value.includes('do-not-leak'))).toEqual([]);
  });

  it('cannot signal the node', async () => {
    expect((await invoke('hostile', { do: 'signal', pid: process.pid })).body).toBe('ESRCH');
    expect((await invoke('neighbour', { do: 'ok' })).body).toBe('ok');
  });
});
