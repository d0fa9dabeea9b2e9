import type { BufferedRequest } from '../../core/index.js';

/**
 * The query protocol flattens nested input into dotted names: `Attributes.entry.1.key=…`,
 * `Tags.member.2.Value=…`, `PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Value.DataType=…`.
 * These helpers fold them back into a tree (lists and maps become arrays, in index order) for zod to check.
 */
export type ParamValue = string | ParamTree | ParamValue[];
export interface ParamTree {
  [name: string]: ParamValue;
}

const LIST_MARKERS = new Set(['member', 'entry']);
/** Names that would reach Object.prototype; no SNS member has them. */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** Body parameters (POST, form-encoded) over query parameters (GET, e.g. a SubscribeURL visited in a browser). */
export function requestParams(req: BufferedRequest): URLSearchParams {
  const params = new URLSearchParams(req.query);
  if (req.body.length > 0) for (const [name, value] of new URLSearchParams(req.body.toString('utf8'))) params.set(name, value);
  return params;
}

export function paramTree(params: URLSearchParams): ParamTree {
  const root: ParamTree = {};
  for (const [name, value] of params) insert(root, name.split('.'), value);
  return foldLists(root) as ParamTree;
}

function insert(node: ParamTree, path: string[], value: string): void {
  let current = node;
  for (let i = 0; i < path.length; i++) {
    const step = path[i]!;
    if (FORBIDDEN.has(step)) return;
    if (i === path.length - 1) {
      current[step] = value;
      return;
    }
    const next = current[step];
    if (typeof next === 'object' && !Array.isArray(next)) current = next;
    else {
      const created: ParamTree = {};
      current[step] = created;
      current = created;
    }
  }
}

function foldLists(value: ParamValue): ParamValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && LIST_MARKERS.has(keys[0]!)) {
    const items = value[keys[0]!]!;
    if (typeof items === 'object' && !Array.isArray(items) && Object.keys(items).every((k) => /^\d+$/.test(k))) {
      return Object.keys(items)
        .sort((a, b) => Number(a) - Number(b))
        .map((k) => foldLists(items[k]!));
    }
  }
  const folded: ParamTree = {};
  for (const key of keys) folded[key] = foldLists(value[key]!);
  return folded;
}
