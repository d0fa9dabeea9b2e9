import { invalidToken } from './errors.js';

/**
 * Paging tokens. A place in a group's events is (timestamp, source, id): function records (source 0) before the
 * events clients put (source 1) at the same millisecond, each by its store's id. GetLogEvents tokens look like AWS's
 * (`f/<56 digits>/s` forward, `b/…/s` backward); FilterLogEvents tokens are opaque.
 */
export interface Cursor {
  timestamp: number;
  source: 0 | 1;
  id: number;
}

export const START: Cursor = { timestamp: 0, source: 0, id: 0 };

export interface StreamToken {
  direction: 'f' | 'b';
  cursor: Cursor;
}

export function streamToken(direction: 'f' | 'b', cursor: Cursor): string {
  return `${direction}/${digits(cursor.timestamp, 20)}${cursor.source}${digits(cursor.id, 20)}${'0'.repeat(15)}/s`;
}

export function parseStreamToken(token: string): StreamToken {
  const match = /^([fb])\/(\d{20})([01])(\d{20})0{15}\/s$/.exec(token);
  if (!match) throw invalidToken();
  return { direction: match[1] as 'f' | 'b', cursor: { timestamp: Number(match[2]), source: Number(match[3]) as 0 | 1, id: Number(match[4]) } };
}

export function filterToken(cursor: Cursor): string {
  return Buffer.from(`flint-logs/${cursor.timestamp}/${cursor.source}/${cursor.id}`).toString('base64url');
}

export function parseFilterToken(token: string): Cursor {
  const match = /^flint-logs\/(\d+)\/([01])\/(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!match) throw invalidToken();
  return { timestamp: Number(match[1]), source: Number(match[2]) as 0 | 1, id: Number(match[3]) };
}

/** The id FilterLogEvents gives an event: unique in its group, 56 digits as AWS's are. */
export function eventId(cursor: Cursor): string {
  return `${digits(cursor.timestamp, 20)}${cursor.source}${digits(cursor.id, 35)}`;
}

export function compareCursors(a: Cursor, b: Cursor): number {
  return a.timestamp - b.timestamp || a.source - b.source || a.id - b.id;
}

function digits(value: number, width: number): string {
  return String(Math.max(0, Math.trunc(value))).padStart(width, '0');
}
