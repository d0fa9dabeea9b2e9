import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** What a long fetch tells the person waiting for it: one line per step. */
export type Progress = (message: string) => void;

/**
 * The folder shared by every Flint on this machine for what it fetches once and keeps (Node.js binaries, the
 * AWS SDK): $FLINT_CACHE, else $XDG_CACHE_HOME/flint, else ~/.cache/flint. Not the node's data folder, so a
 * reset or a new app does not fetch again.
 */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FLINT_CACHE) return env.FLINT_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'flint');
}

/** A lock older than this belongs to a fetch that died without cleaning up (a killed process on another PID namespace). */
const STALE_LOCK_MS = 15 * 60_000;
const POLL_MS = 200;

/**
 * Runs `produce` once for `target` across every process on the machine: the first caller takes a lock folder
 * beside the target and produces it; the others wait for the lock to go and then find the target done, so
 * concurrent deploys share one download. A lock whose owner is gone is taken over.
 */
export async function produceOnce(target: string, isDone: () => boolean, produce: () => Promise<void>, onWait?: () => void): Promise<void> {
  const lock = `${target}.lock`;
  let told = false;
  while (!isDone()) {
    if (tryLock(lock)) {
      try {
        if (!isDone()) await produce();
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
      return;
    }
    if (!told) onWait?.();
    told = true;
    await sleep(POLL_MS);
  }
}

function tryLock(lock: string): boolean {
  try {
    mkdirSync(lock);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if (!lockIsStale(lock)) return false;
    rmSync(lock, { recursive: true, force: true });
    return tryLock(lock);
  }
  writeFileSync(join(lock, 'pid'), String(process.pid));
  return true;
}

function lockIsStale(lock: string): boolean {
  try {
    const age = Date.now() - statSync(lock).mtimeMs;
    const pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    return age > STALE_LOCK_MS || (Number.isInteger(pid) && pid > 0 && !processAlive(pid));
  } catch {
    // No pid file yet: the owner is between mkdir and write, unless the lock is old.
    try {
      return Date.now() - statSync(lock).mtimeMs > 10_000;
    } catch {
      return false;
    }
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** "51.7 MB" */
export function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
