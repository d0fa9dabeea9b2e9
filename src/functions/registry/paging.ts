import { constraintViolation, invalid } from './errors.js';
import type { ListOptions, Page } from './types.js';

const DEFAULT_MAX_ITEMS = 50;
const MAX_ITEMS = 10_000;

/** Markers are opaque to callers, as Lambda's are: the position is encoded, not shown. */
export function encodeMarker(position: string): string {
  return Buffer.from(position, 'utf8').toString('base64url');
}

export function decodeMarker(marker: string | undefined): string | undefined {
  if (marker === undefined || marker === '') return undefined;
  const position = Buffer.from(marker, 'base64url').toString('utf8');
  if (encodeMarker(position) !== marker) throw invalid(`Invalid marker: ${marker}`, 'value', { field: 'marker' });
  return position;
}

export function pageSize(options: ListOptions): number {
  const size = options.maxItems ?? DEFAULT_MAX_ITEMS;
  if (!Number.isInteger(size) || size < 1) throw constraintViolation('maxItems', size, 'Member must have value greater than or equal to 1');
  if (size > MAX_ITEMS) throw constraintViolation('maxItems', size, `Member must have value less than or equal to ${MAX_ITEMS}`);
  return size;
}

/**
 * One page of a list sorted by position (plain string order), resuming after the marker's position; an item
 * deleted between two pages does not break the walk.
 */
export function pageOf<T>(items: readonly T[], positionOf: (item: T) => string, options: ListOptions): Page<T> {
  const size = pageSize(options);
  const after = decodeMarker(options.marker);
  const start = after === undefined ? 0 : firstAfter(items, positionOf, after);
  const slice = items.slice(start, start + size);
  const last = slice.at(-1);
  const more = start + size < items.length;
  return more && last !== undefined ? { items: slice, nextMarker: encodeMarker(positionOf(last)) } : { items: slice };
}

function firstAfter<T>(items: readonly T[], positionOf: (item: T) => string, after: string): number {
  const index = items.findIndex((item) => positionOf(item) > after);
  return index === -1 ? items.length : index;
}
