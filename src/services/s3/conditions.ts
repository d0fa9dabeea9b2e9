import type { ByteRange } from '../../storage/index.js';
import { unquoted } from './format.js';

const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/;

export type ConditionOutcome = { kind: 'proceed' } | { kind: 'not-modified' } | { kind: 'failed'; condition: string };

interface Conditional {
  ifMatch?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: string;
  ifUnmodifiedSince?: string;
}

/**
 * HTTP conditional requests as S3 evaluates them (RFC 7232 precedence): If-Match, else If-Unmodified-Since, can
 * fail with 412; then If-None-Match, else If-Modified-Since, can answer 304. A true If-Match overrides a false
 * If-Unmodified-Since, and a false If-None-Match overrides If-Modified-Since. Times compare at S3's one-second
 * precision; unparsable dates are ignored.
 */
export function evaluateConditions(conditional: Conditional, etag: string, lastModified: number): ConditionOutcome {
  const modified = Math.floor(lastModified / 1000) * 1000;
  if (conditional.ifMatch !== undefined) {
    if (!etagMatches(conditional.ifMatch, etag)) return { kind: 'failed', condition: 'If-Match' };
  } else if (conditional.ifUnmodifiedSince !== undefined) {
    const since = Date.parse(conditional.ifUnmodifiedSince);
    if (!Number.isNaN(since) && modified > since) return { kind: 'failed', condition: 'If-Unmodified-Since' };
  }
  if (conditional.ifNoneMatch !== undefined) {
    if (etagMatches(conditional.ifNoneMatch, etag)) return { kind: 'not-modified' };
  } else if (conditional.ifModifiedSince !== undefined) {
    const since = Date.parse(conditional.ifModifiedSince);
    if (!Number.isNaN(since) && modified <= since) return { kind: 'not-modified' };
  }
  return { kind: 'proceed' };
}

function etagMatches(list: string, etag: string): boolean {
  return list.split(',').some((candidate) => candidate.trim() === '*' || unquoted(candidate) === etag);
}

/**
 * A Range header against an object of `size` bytes: the range to send, 'unsatisfiable' (416), or undefined to
 * send the whole object (no header, or one S3 ignores: several ranges, malformed, first > last).
 */
export function parseRange(value: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (value === undefined) return undefined;
  const match = SINGLE_RANGE.exec(value.trim());
  if (!match) return undefined;
  const [, first, last] = match as unknown as [string, string, string];
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
}
