import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { FakeClock, RealClock } from '../../../src/core/index.js';
import { openSqliteStorage } from '../../../src/storage/index.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SENDER = fileURLToPath(new URL('./fixtures/send-until-killed.ts', import.meta.url));
const RECEIVER = fileURLToPath(new URL('./fixtures/receive-all.ts', import.meta.url));
/** Enough acknowledged sends that the kill lands while the child is busy writing. */
const KILL_AFTER_IDS = 3000;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flint-sqs-durability-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Child {
  ready: Promise<void>;
  go(): void;
  done: Promise<{ lines: string[] }>;
}

/** Runs a fixture; `until` SIGKILLs it once it has printed that many ids. Lines cut by a kill are dropped. */
function child(script: string, until?: number): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', script, dir], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let counted = 0;
  let ids = 0;
  let killed = false;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  proc.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.startsWith('ready\n')) markReady();
    const complete = stdout.lastIndexOf('\n') + 1;
    ids += stdout.slice(counted, complete).split('\n').filter((line) => line.startsWith('id ')).length;
    counted = complete;
    if (until !== undefined && !killed && ids >= until) killed = proc.kill('SIGKILL');
  });
  const done = new Promise<{ lines: string[] }>((resolve, reject) => {
    proc.on('error', reject);
    proc.on('close', (code, signal) => {
      if (until !== undefined && signal !== 'SIGKILL') return reject(new Error(`child exited early (code ${code}): ${stderr}`));
      if (until === undefined && code !== 0) return reject(new Error(`child failed (code ${code}): ${stderr}`));
      resolve({ lines: stdout.split('\n').slice(0, -1) });
    });
  });
  return { ready, go: () => proc.stdin.write('go\n'), done };
}

const idsOf = (lines: string[]) => lines.filter((line) => line.startsWith('id ')).map((line) => line.slice(3));

it('keeps every acknowledged message when the sending process is killed with SIGKILL', async () => {
  const { lines } = await child(SENDER, KILL_AFTER_IDS).done;
  const acknowledged = idsOf(lines);
  expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER_IDS);

  const storage = await openSqliteStorage({ dir, clock: new FakeClock(Date.now() + 60_000) });
  try {
    const stored = new Set<string>();
    for (;;) {
      const batch = await storage.messages.receive('durable', { max: 10, visibilityMs: 600_000 });
      if (batch.length === 0) break;
      for (const message of batch) stored.add(message.id);
    }
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
  } finally {
    await storage.close();
  }
});

it('gives each message to exactly one of several receiving processes sharing the database', async () => {
  const storage = await openSqliteStorage({ dir, clock: new RealClock() });
  const sent: string[] = [];
  try {
    await storage.messages.createQueue({ name: 'shared', fifo: false, retentionMs: 86_400_000, attributes: {}, tags: {} });
    for (let batch = 0; batch < 60; batch++) {
      const messages = Array.from({ length: 50 }, (_, i) => ({ id: `m-${batch}-${i}`, body: `${batch}/${i}` }));
      sent.push(...(await storage.messages.send('shared', messages)).map((s) => s.id));
    }
  } finally {
    await storage.close();
  }
  const receivers = Array.from({ length: 4 }, () => child(RECEIVER));
  await Promise.all(receivers.map((r) => r.ready));
  for (const receiver of receivers) receiver.go();
  const results = await Promise.all(receivers.map((r) => r.done));
  const received = results.flatMap((result) => idsOf(result.lines));
  // Every receiver got a share: the claims really did race.
  expect(results.filter((result) => idsOf(result.lines).length > 0).length).toBeGreaterThan(1);
  expect(received).toHaveLength(sent.length);
  expect(new Set(received)).toEqual(new Set(sent));
});
