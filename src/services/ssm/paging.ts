import { ssmError } from './errors.js';

/** Paging tokens are opaque to clients; inside they are the offset of the next page. */
export function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

export function decodeToken(token: string | undefined): number {
  if (token === undefined) return 0;
  try {
    const { offset } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset?: unknown };
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // not a token Flint made
  }
  throw ssmError('InvalidNextToken', 'The specified token is not valid.');
}

/** One page of `items` from the token's offset. */
export function pageOf<T>(items: T[], token: string | undefined, limit: number): { items: T[]; nextToken?: string } {
  const start = decodeToken(token);
  const end = start + limit;
  return { items: items.slice(start, end), nextToken: end < items.length ? encodeToken(end) : undefined };
}
