import type { AttributeValue, Item } from '../../../storage/index.js';
import { validation } from '../errors.js';
import { attributeOf, setAttribute } from '../values/attributes.js';
import type { Path } from './bind.js';

/**
 * Document paths into items: reading, projecting, and copy-on-write setting and removing (the containers along
 * the path are copied, so the item before the change stays intact for ReturnValues and stream images).
 */

export function getPath(item: Item, path: Path): AttributeValue | undefined {
  let current: AttributeValue | undefined = attributeOf(item, path[0] as string);
  for (let i = 1; i < path.length && current; i++) {
    const part = path[i]!;
    if (typeof part === 'number') current = 'L' in current ? current.L[part] : undefined;
    else current = 'M' in current ? attributeOf(current.M, part) : undefined;
  }
  return current;
}

function invalidPath(): Error {
  return validation('The document path provided in the update expression is invalid for update');
}

/** A copy of `item` with `value` at `path`; a list index past the end appends. */
export function setPath(item: Item, path: Path, value: AttributeValue): Item {
  const head = path[0] as string;
  if (path.length === 1) return { ...item, [head]: value };
  const child = attributeOf(item, head);
  if (!child) throw invalidPath();
  return { ...item, [head]: setInValue(child, path, 1, value) };
}

function setInValue(container: AttributeValue, path: Path, at: number, value: AttributeValue): AttributeValue {
  const part = path[at]!;
  const last = at === path.length - 1;
  if (typeof part === 'number') {
    if (!('L' in container)) throw invalidPath();
    const list = [...container.L];
    if (last) {
      if (part >= list.length) list.push(value);
      else list[part] = value;
    } else {
      const child = list[part];
      if (!child) throw invalidPath();
      list[part] = setInValue(child, path, at + 1, value);
    }
    return { L: list };
  }
  if (!('M' in container)) throw invalidPath();
  if (last) return { M: { ...container.M, [part]: value } };
  const child = attributeOf(container.M, part);
  if (!child) throw invalidPath();
  return { M: { ...container.M, [part]: setInValue(child, path, at + 1, value) } };
}

/** A copy of `item` without the value at `path`; removing a list element shifts the ones after it. */
export function removePath(item: Item, path: Path): Item {
  const head = path[0] as string;
  if (path.length === 1) {
    if (!Object.hasOwn(item, head)) return item;
    const copy = { ...item };
    delete copy[head];
    return copy;
  }
  const child = attributeOf(item, head);
  if (!child) throw invalidPath();
  const changed = removeInValue(child, path, 1);
  return changed === child ? item : { ...item, [head]: changed };
}

function removeInValue(container: AttributeValue, path: Path, at: number): AttributeValue {
  const part = path[at]!;
  const last = at === path.length - 1;
  if (typeof part === 'number') {
    if (!('L' in container)) throw invalidPath();
    if (part >= container.L.length) {
      if (last) return container;
      throw invalidPath();
    }
    const list = [...container.L];
    if (last) list.splice(part, 1);
    else list[part] = removeInValue(list[part]!, path, at + 1);
    return { L: list };
  }
  if (!('M' in container)) throw invalidPath();
  const child = attributeOf(container.M, part);
  if (last) {
    if (!child) return container;
    const map = { ...container.M };
    delete map[part];
    return { M: map };
  }
  if (!child) throw invalidPath();
  return { M: { ...container.M, [part]: removeInValue(child, path, at + 1) } };
}

/**
 * The parts of `item` the paths name, nested as in the item. List elements keep their order but close up, as
 * DynamoDB returns them ([a[1], a[3]] gives a two-element list). Only containers built here are changed.
 */
export function project(item: Item, paths: readonly Path[]): Item {
  const out: Item = {};
  const built: Built = { lists: new Set(), maps: new Set() };
  for (const path of paths) {
    const value = getPath(item, path);
    if (value === undefined) continue;
    const head = path[0] as string;
    setAttribute(out, head, path.length === 1 ? value : merge(attributeOf(out, head), attributeOf(item, head)!, path, 1, value, built));
  }
  for (const list of built.lists) {
    for (let i = list.length - 1; i >= 0; i--) if (list[i] === undefined) list.splice(i, 1);
  }
  return out;
}

interface Built {
  lists: Set<(AttributeValue | undefined)[]>;
  maps: Set<Item>;
}

function merge(target: AttributeValue | undefined, source: AttributeValue, path: Path, at: number, value: AttributeValue, built: Built): AttributeValue {
  if (at === path.length) return value;
  const part = path[at]!;
  if (typeof part === 'number' && 'L' in source) {
    let list = target && 'L' in target && built.lists.has(target.L) ? (target.L as (AttributeValue | undefined)[]) : undefined;
    if (!list) {
      list = [];
      built.lists.add(list);
    }
    list[part] = merge(list[part], source.L[part]!, path, at + 1, value, built);
    return { L: list as AttributeValue[] };
  }
  if (typeof part === 'string' && 'M' in source) {
    let map = target && 'M' in target && built.maps.has(target.M) ? target.M : undefined;
    if (!map) {
      map = {};
      built.maps.add(map);
    }
    setAttribute(map, part, merge(attributeOf(map, part), attributeOf(source.M, part)!, path, at + 1, value, built));
    return { M: map };
  }
  return value;
}
