/** Maps a path inside the manifest (["functions", "hello", "memory"]) to where it is written in the YAML text. */
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export interface Position {
  line: number;
  column: number;
}

/**
 * The position of the key (for a map entry) or item (for a list entry) at `path`; when part of the path is
 * not in the file (a missing field), the position of the nearest parent that is.
 */
export function locate(doc: Document, lineCounter: LineCounter, path: readonly PropertyKey[]): Position {
  let node: unknown = doc.contents;
  let offset = startOf(node) ?? 0;
  for (const segment of path) {
    const step = childOf(node, segment);
    if (step === undefined) break;
    offset = step.offset ?? offset;
    node = step.node;
  }
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

function childOf(node: unknown, segment: PropertyKey): { node: unknown; offset: number | undefined } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
    return pair === undefined ? undefined : { node: pair.value, offset: startOf(pair.key) };
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item: unknown = node.items[segment];
    return item === undefined ? undefined : { node: item, offset: startOf(item) };
  }
  return undefined;
}

function startOf(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[0];
}
