import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/index.js';
import { openSqliteStorage } from '../../src/storage/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHILD = fileURLToPath(new URL('./fixtures/enqueue-until-killed.ts', import.meta.url));
/** Enough acknowledged writes that the kill lands while the child is busy writing. */
const KILL_AFTER_IDS = 2000;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flint-durability-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the child until it has acknowledged KILL_AFTER_IDS items, SIGKILLs it, and returns every complete stdout line. */
function runAndKill(): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let counted = 0;
    let ids = 0;
    let killed = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const complete = stdout.lastIndexOf('\n') + 1;
      ids += stdout.slice(counted, complete).split('\n').filter((line) => line.startsWith('id ')).length;
      counted = complete;
      if (!killed && ids >= KILL_AFTER_IDS) killed = child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`child exited early (code ${code}): ${stderr}`));
      // A line without its newline was cut by the kill; it does not count as acknowledged.
      resolve(stdout.split('\n').slice(0, -1));
    });
  });
}

it('keeps every acknowledged queue item and sequence value when the writer is killed with SIGKILL', async () => {
  const lines = await runAndKill();
  const acknowledged = lines.filter((l) => l.startsWith('id ')).map((l) => l.slice(3));
  const lastSeq = Math.max(...lines.filter((l) => l.startsWith('seq ')).map((l) => Number(l.slice(4))));
  expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER_IDS);

  // The child used the real clock; look from a little later so every item is due.
  const storage = await openSqliteStorage({ dir, clock: new FakeClock(Date.now() + 60_000) });
  try {
    const claimed = await storage.queues.claim('durable', { max: 1_000_000, leaseMs: 1000 });
    const stored = new Set(claimed.map((lease) => lease.item.id));
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    expect(await storage.metadata.nextSequence('acks')).toBeGreaterThan(lastSeq);
  } finally {
    await storage.close();
  }
});
