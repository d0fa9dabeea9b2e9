import type { Condition, FieldRule, JsonObject, JsonValue, Scalar } from './types.js';

/**
 * Matching a compiled pattern against an event. The event is read once into its leaves by dotted path, each
 * with the array elements it sits in; a field matches when one of its leaves passes one of its list's entries, or
 * when it has no leaves and the list holds `{"exists": false}`. Objects and empty arrays are not leaves, so
 * `exists` tests leaves only, as EventBridge documents. Fields of one alternative that sit in the same array must
 * match within one element of it (Event Ruler's array consistency).
 */
export interface Leaf {
  value: Scalar;
  /** The arrays around the leaf, outermost first, as [array id, element index] pairs flattened. */
  trail: readonly number[];
}

export type LeafIndex = Map<string, Leaf[]>;

export function indexLeaves(event: JsonObject): LeafIndex {
  const index: LeafIndex = new Map();
  let arrays = 0;
  const walk = (node: JsonValue, path: string, trail: readonly number[]): void => {
    if (Array.isArray(node)) {
      const id = arrays++;
      node.forEach((item, i) => walk(item, path, [...trail, id, i]));
    } else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) walk(value, path === '' ? key : `${path}.${key}`, trail);
    } else {
      const leaves = index.get(path);
      if (leaves) leaves.push({ value: node, trail });
      else index.set(path, [{ value: node, trail }]);
    }
  };
  walk(event, '', []);
  return index;
}

/** Every field of the alternative matches, with leaves that can sit together in the event's arrays. */
export function matchesAlternative(rules: readonly FieldRule[], index: LeafIndex): boolean {
  const choices: Leaf[][] = [];
  for (const rule of rules) {
    const leaves = index.get(rule.path) ?? [];
    if (leaves.length === 0) {
      if (!rule.conditions.some((c) => c.kind === 'exists' && !c.present)) return false;
      continue;
    }
    const passing = leaves.filter((leaf) => rule.conditions.some((c) => passes(c, leaf.value)));
    if (passing.length === 0) return false;
    // A leaf outside every array sits with any other: the field needs no further choosing.
    if (!passing.some((leaf) => leaf.trail.length === 0)) choices.push(passing);
  }
  return choices.length < 2 || consistent(choices, 0, [], { steps: 0 });
}

function passes(condition: Condition, value: Scalar): boolean {
  return condition.kind === 'exists' ? condition.present : condition.test(value);
}

/** Picks tried before a search gives up and lets the event match (events with huge arrays of near-matches). */
const MAX_STEPS = 10_000;

/** Whether one leaf can be picked per field so that no two come from different elements of one array. */
function consistent(choices: Leaf[][], at: number, picked: Leaf[], budget: { steps: number }): boolean {
  if (at === choices.length) return true;
  for (const leaf of choices[at]!) {
    if (++budget.steps > MAX_STEPS) return true;
    if (picked.every((other) => together(leaf.trail, other.trail))) {
      picked.push(leaf);
      if (consistent(choices, at + 1, picked, budget)) return true;
      picked.pop();
    }
  }
  return false;
}

function together(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i + 1 < a.length && i + 1 < b.length; i += 2) {
    if (a[i] !== b[i]) return true;
    if (a[i + 1] !== b[i + 1]) return false;
  }
  return true;
}
