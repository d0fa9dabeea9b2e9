import { validation } from './errors.js';

/**
 * ListRules, ListEventBuses, ListTargetsByRule and ListRuleNamesByTarget pages: at most `Limit` items (100 when
 * absent), and a NextToken that names where the next page starts. Tokens are opaque to clients.
 */
const DEFAULT_LIMIT = 100;

export function page<T>(items: readonly T[], limit: number | undefined, token: string | undefined): { items: T[]; nextToken?: string } {
  const start = token === undefined ? 0 : offsetOf(token);
  const size = limit ?? DEFAULT_LIMIT;
  const slice = items.slice(start, start + size);
  const next = start + size;
  return next < items.length ? { items: slice, nextToken: Buffer.from(JSON.stringify({ offset: next })).toString('base64') } : { items: slice };
}

function offsetOf(token: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset?: unknown };
    if (typeof parsed.offset === 'number' && Number.isInteger(parsed.offset) && parsed.offset >= 0) return parsed.offset;
  } catch {
    // Refused below.
  }
  throw validation('The nextToken provided is invalid.');
}
