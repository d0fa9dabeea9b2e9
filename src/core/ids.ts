import { randomBytes, randomUUID } from 'node:crypto';

/** A Lambda-style request id (UUID v4). */
export function requestId(): string {
  return randomUUID();
}

/** A short random hex id for instances, leases and other internal handles. */
export function shortId(bytes = 8): string {
  return randomBytes(bytes).toString('hex');
}
