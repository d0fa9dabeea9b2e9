import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeClock, RealClock, requestId, shortId, silentLogger, type Clock } from '../../src/core/index.js';
import { Cgroups, createSandbox, InstanceLimits, RuntimeHost, type InstanceConfig, type InvokeRequest, type SandboxKind } from '../../src/runtime/index.js';
import { MemoryLogSink } from '../helpers/memory-log-sink.js';

export const FIXTURES = resolve(import.meta.dirname, '../fixtures/runtime');

/** Whether Flint's own detection (a trial run of bwrap with everything its sandbox mounts) picks bwrap here. */
function bwrapWorks(): boolean {
  const workDir = mkdtempSync(join(tmpdir(), 'flint-runtime-'));
  try {
    return createSandbox('auto', workDir, silentLogger).kind === 'bwrap';
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * The sandboxes that work here: plain processes always, bwrap where it can create namespaces. npm test provides
 * bwrap (scripts/test-tools.sh); a host that forbids unprivileged user namespaces still stops it.
 */
export const SANDBOXES = (['process', 'bwrap'] as const).filter((kind) => kind === 'process' || bwrapWorks());

/**
 * Tests of what only bwrap isolates. Where bwrap cannot create namespaces they are replaced by a test of what Flint
 * does then (nothing is skipped): `auto` falls back to plain processes and says the isolation is weaker, and
 * `bwrap` asked for by name refuses to start.
 */
export function describeBwrap(name: string, tests: () => void): void {
  if (SANDBOXES.includes('bwrap')) {
    describe(name, tests);
    return;
  }
  describe(`${name}: bwrap cannot create namespaces on this machine`, () => {
    it('falls back to plain processes and says the isolation is weaker, or refuses when bwrap is asked for', () => {
      const workDir = mkdtempSync(join(tmpdir(), 'flint-runtime-'));
      const warnings: string[] = [];
      try {
        const sandbox = createSandbox('auto', workDir, { ...silentLogger, warn: (message: string) => warnings.push(message) });
        expect(sandbox.kind).toBe('process');
        expect(warnings).toEqual([expect.stringMatching(/^instances run without namespaces \(weaker isolation\): bwrap cannot create namespaces here/)]);
        expect(() => createSandbox('bwrap', workDir, silentLogger)).toThrow(/the bwrap sandbox is unavailable: bwrap cannot create namespaces here/);
      } finally {
        rmSync(workDir, { recursive: true, force: true });
      }
    });
  });
}

export interface Harness {
  host: RuntimeHost;
  logs: MemoryLogSink;
  clock: Clock;
  workDir: string;
  config(overrides: Partial<InstanceConfig> & { fixture: string }): InstanceConfig;
  /** Whether instances got cgroups (asked for, and the host allows them). */
  cgroups: boolean;
  cleanup(): Promise<void>;
}

/** Why this machine cannot give instances cgroups (not root, no delegated subtree), or undefined when it can. */
function cgroupsProblem(): string | undefined {
  const probe = new Cgroups(`flint-probe-${process.pid}-${shortId(6)}`);
  const problem = probe.start();
  void probe.close();
  return problem;
}

/** Where cgroups cannot be had, why (computed once per test file). */
export const CGROUPS_PROBLEM = cgroupsProblem();

/**
 * Tests of what only cgroups (and bwrap) contain. Where the machine gives neither (a user without root, a host
 * without delegation) they are replaced by a test of what Flint does then (nothing is skipped): it samples memory
 * instead and says so in the isolation it reports.
 */
export function describeContained(name: string, tests: () => void): void {
  if (SANDBOXES.includes('bwrap') && CGROUPS_PROBLEM === undefined) {
    describe(name, tests);
    return;
  }
  describe(`${name}: no cgroups or no bwrap on this machine`, () => {
    it('samples memory instead and reports the weaker isolation with the reason', async () => {
      const h = createHarness('process', { cgroups: true });
      try {
        expect(h.cgroups).toBe(false);
        expect(h.host.options.sandbox.isolation).toMatch(/no cgroups \(memory sampled every 50 ms, no process or CPU limits\): .+/);
      } finally {
        await h.cleanup();
      }
    });
  });
}

export function createHarness(kind: SandboxKind, options: { fake?: boolean; memoryPollMs?: number; cgroups?: boolean } = {}): Harness {
  const workDir = mkdtempSync(join(tmpdir(), 'flint-runtime-'));
  const logs = new MemoryLogSink();
  const clock = options.fake ? new FakeClock(Date.now()) : new RealClock();
  const cgroups = options.cgroups ? new Cgroups(`flint-test-${process.pid}-${shortId(6)}`) : undefined;
  const problem = cgroups?.start();
  const sandbox = createSandbox(kind, workDir, silentLogger, { limits: new InstanceLimits(problem ? undefined : cgroups, problem) });
  const host = new RuntimeHost({
    clock,
    logger: silentLogger,
    logSink: logs,
    sandbox,
    workDir,
    region: 'us-east-1',
    accountId: '123456789012',
    endpointUrl: 'http://127.0.0.1:4566',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    memoryPollMs: options.memoryPollMs ?? 0,
  });
  return {
    host,
    logs,
    clock,
    workDir,
    config: ({ fixture, ...overrides }) => ({
      functionName: 'fn',
      version: '$LATEST',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
      memorySize: 256,
      timeout: 3,
      ephemeralStorage: 512,
      environment: {},
      codeDir: join(FIXTURES, fixture),
      ...overrides,
    }),
    cgroups: cgroups !== undefined && !problem,
    cleanup: async () => {
      await cgroups?.close();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}

export function request(event: unknown, extra: Partial<InvokeRequest> = {}): InvokeRequest {
  return {
    requestId: requestId(),
    payload: Buffer.from(JSON.stringify(event)),
    invokedArn: 'arn:aws:lambda:us-east-1:123456789012:function:fn',
    ...extra,
  };
}

export function json(buffer: Buffer): unknown {
  return JSON.parse(buffer.toString('utf8'));
}
