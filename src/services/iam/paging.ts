/**
 * IAM's paging: MaxItems (1–1000, default 100, the model checks the range) items per page, IsTruncated, and a
 * Marker to pass back for the next page. Markers are opaque to clients; inside they are the sort key of the last
 * item of the page before.
 */
export interface Page<T> {
  items: T[];
  IsTruncated: boolean;
  Marker?: string;
}

export const DEFAULT_MAX_ITEMS = 100;

export function page<T>(items: readonly T[], keyOf: (item: T) => string, marker: string | undefined, maxItems: number | undefined): Page<T> {
  const after = marker ? Buffer.from(marker, 'base64url').toString('utf8') : undefined;
  const sorted = [...items].sort((a, b) => compare(keyOf(a), keyOf(b)));
  const rest = after === undefined ? sorted : sorted.filter((item) => compare(keyOf(item), after) > 0);
  const size = maxItems ?? DEFAULT_MAX_ITEMS;
  const shown = rest.slice(0, size);
  if (rest.length <= size) return { items: shown, IsTruncated: false };
  return { items: shown, IsTruncated: true, Marker: Buffer.from(keyOf(shown[shown.length - 1]!)).toString('base64url') };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A page of a list kept in its own order (tags, attachments): the marker is a position. */
export function pageInOrder<T>(items: readonly T[], marker: string | undefined, maxItems: number | undefined): Page<T> {
  const positioned = items.map((item, index) => ({ item, key: String(index).padStart(6, '0') }));
  const { items: shown, ...more } = page(positioned, (entry) => entry.key, marker, maxItems);
  return { items: shown.map((entry) => entry.item), ...more };
}
