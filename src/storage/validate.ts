import { FlintError } from '../core/index.js';

/** Argument checks shared by every adapter, so all of them reject the same bad input the same way. */

export function assertNonEmpty(name: string, value: string): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw new FlintError('INVALID_PARAMETER', `${name} must be a non-empty string`, { name });
  }
}

export function assertCount(name: string, value: number | undefined): void {
  if (value === undefined) return;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new FlintError('INVALID_PARAMETER', `${name} must be a non-negative integer, got ${value}`, { name, value });
  }
}

export function assertDuration(name: string, value: number | undefined): void {
  if (value === undefined) return;
  if (!Number.isFinite(value) || value < 0) {
    throw new FlintError('INVALID_PARAMETER', `${name} must be a non-negative number of milliseconds, got ${value}`, { name, value });
  }
}

/** Compare-and-set check: `expected` undefined means unconditional; 0 stands for "absent". */
export function assertRevision(collection: string, key: string, expected: number | undefined, actual: number): void {
  if (expected === undefined || expected === actual) return;
  throw new FlintError('PRECONDITION_FAILED', `${collection}/${key} is at revision ${actual}, not ${expected}`, {
    collection,
    key,
    expected,
    actual,
  });
}

export function toJson(collection: string, key: string, value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) {
    throw new FlintError('INVALID_PARAMETER', `${collection}/${key}: the value cannot be stored as JSON`, { collection, key });
  }
  return json;
}
