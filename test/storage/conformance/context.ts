import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect } from 'vitest';
import { FakeClock, isFlintError, type ErrorCode } from '../../../src/core/index.js';
import type { Storage } from '../../../src/storage/index.js';

export type OpenStorage = (dir: string, clock: FakeClock) => Promise<Storage>;

/** What each conformance test sees: a fresh storage in its own temp dir, and the clock that drives it. */
export interface StorageContext {
  readonly storage: Storage;
  readonly clock: FakeClock;
  readonly dir: string;
  /** Closes the storage and opens the same dir again, as a restarted node would. */
  reopen(): Promise<Storage>;
}

/** Registers beforeEach/afterEach in the calling describe block; the returned object is live for each test. */
export function useStorage(open: OpenStorage): StorageContext {
  let storage: Storage | undefined;
  let clock: FakeClock | undefined;
  let dir: string | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flint-storage-'));
    clock = new FakeClock();
    storage = await open(dir, clock);
  });
  afterEach(async () => {
    await storage?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  return {
    get storage() {
      return required(storage);
    },
    get clock() {
      return required(clock);
    },
    get dir() {
      return required(dir);
    },
    async reopen() {
      await required(storage).close();
      storage = await open(required(dir), required(clock));
      return storage;
    },
  };
}

function required<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('storage context used outside a test');
  return value;
}

/** Asserts that `promise` rejects with a FlintError of the given code. */
export async function expectFlintError(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isFlintError(error), `expected FlintError ${code}, got ${String(error)}`).toBe(true);
  expect(isFlintError(error) && error.code).toBe(code);
}
