import { secretsError } from './errors.js';

/** One page of `items` from the offset a token holds (tokens are opaque to clients). */
export function pageAt<T>(items: T[], token: string | undefined, limit: number): { items: T[]; nextToken?: string } {
  const start = token === undefined ? 0 : offsetOf(token);
  const end = start + limit;
  return { items: items.slice(start, end), nextToken: end < items.length ? Buffer.from(`secrets:${end}`).toString('base64url') : undefined };
}

function offsetOf(token: string): number {
  const match = /^secrets:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  // Flint's wording.
  if (!match) throw secretsError('InvalidNextTokenException', 'The NextToken value is not valid.');
  return Number(match[1]);
}
