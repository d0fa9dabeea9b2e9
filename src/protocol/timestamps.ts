import type { TimestampFormat } from './model.js';

/**
 * Timestamps on the wire: epoch seconds (JSON bodies), ISO 8601 (XML and query bodies, query strings) or the HTTP
 * date (headers). A handler may hand over a string it formatted itself (some services print fewer digits); it is
 * sent as it is.
 */
export function formatTimestamp(value: unknown, format: TimestampFormat): string | number {
  if (typeof value === 'string') return value;
  const date = value instanceof Date ? value : new Date(Number(value));
  switch (format) {
    case 'unixTimestamp':
      return date.getTime() / 1000;
    case 'rfc822':
      return date.toUTCString();
    default:
      return date.toISOString();
  }
}

/** Reads epoch seconds (number or numeric string), ISO 8601 or an HTTP date; undefined when it is none of them. */
export function parseTimestamp(value: string | number): Date | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? new Date(value * 1000) : undefined;
  const trimmed = value.trim();
  if (/^-?\d+(\.\d+)?$/.test(trimmed)) return new Date(Number(trimmed) * 1000);
  const parsed = Date.parse(trimmed);
  return Number.isNaN(parsed) ? undefined : new Date(parsed);
}
