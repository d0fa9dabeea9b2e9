import type { Clock } from '../../core/index.js';

/** DynamoDB honours a ClientRequestToken for ten minutes. */
const TOKEN_LIFETIME_MS = 10 * 60 * 1000;

interface Seen {
  fingerprint: string;
  expiresAt: number;
  result: unknown;
}

/**
 * ClientRequestTokens of recent TransactWriteItems calls: a repeat with the same request answers as the first
 * call did without writing again; the same token with a different request is a mismatch. Kept in memory, so a
 * restarted node (or another node) does not know earlier tokens.
 */
export class IdempotencyTokens {
  private readonly seen = new Map<string, Seen>();

  constructor(private readonly clock: Clock) {}

  /** The earlier outcome for this token, 'mismatch' if it came with a different request, or undefined. */
  lookup(token: string, fingerprint: string): { result: unknown } | 'mismatch' | undefined {
    this.expire();
    const seen = this.seen.get(token);
    if (!seen) return undefined;
    return seen.fingerprint === fingerprint ? { result: seen.result } : 'mismatch';
  }

  remember(token: string, fingerprint: string, result: unknown): void {
    this.seen.set(token, { fingerprint, expiresAt: this.clock.now() + TOKEN_LIFETIME_MS, result });
  }

  private expire(): void {
    const now = this.clock.now();
    for (const [token, seen] of this.seen) {
      if (seen.expiresAt > now) break;
      this.seen.delete(token);
    }
  }
}
