import type { AttributeValue, Item } from '../../../storage/index.js';
import { validation } from '../errors.js';
import { compareBinary } from '../values/compare.js';
import { addNumbers, compareNumbers } from '../values/numbers.js';
import type { UpdateAction, UpdateOperand, UpdateValue } from './bind.js';
import { getPath, removePath, setPath } from './paths.js';

/**
 * Applies an update expression to an item (or, when there is none, to the key alone, as UpdateItem creates the
 * item). Every operand reads the item as it was before the update, and list indexes name positions in the list
 * as it was: "REMOVE l[0], l[2]" drops the first and third elements. So removals run last, later positions first.
 */
export function applyUpdate(actions: readonly UpdateAction[], original: Item): Item {
  let next = original;
  for (const action of inApplyOrder(actions)) {
    switch (action.kind) {
      case 'SET':
        next = setPath(next, action.path, valueOf(action.value, original));
        break;
      case 'REMOVE':
        next = removePath(next, action.path);
        break;
      case 'ADD': {
        const added = add(getPath(next, action.path), action.value);
        next = setPath(next, action.path, added);
        break;
      }
      case 'DELETE': {
        const existing = getPath(next, action.path);
        if (existing === undefined) break;
        const left = subtract(existing, action.value);
        next = left ? setPath(next, action.path, left) : removePath(next, action.path);
        break;
      }
    }
  }
  return next;
}

function inApplyOrder(actions: readonly UpdateAction[]): UpdateAction[] {
  const removals = actions.filter((a) => a.kind === 'REMOVE');
  if (removals.length === 0) return [...actions];
  const lastIndex = (a: UpdateAction) => {
    const last = a.path[a.path.length - 1];
    return typeof last === 'number' ? last : -1;
  };
  return [...actions.filter((a) => a.kind !== 'REMOVE'), ...removals.sort((a, b) => lastIndex(b) - lastIndex(a))];
}

function wrongType(): Error {
  return validation('An operand in the update expression has an incorrect data type');
}

function valueOf(value: UpdateValue, item: Item): AttributeValue {
  if (value.kind !== 'arithmetic') return operandOf(value, item);
  const left = operandOf(value.left, item);
  const right = operandOf(value.right, item);
  if (!('N' in left) || !('N' in right)) throw wrongType();
  return { N: addNumbers(left.N, right.N, value.op === '-') };
}

function operandOf(operand: UpdateOperand, item: Item): AttributeValue {
  switch (operand.kind) {
    case 'value':
      return operand.value;
    case 'path': {
      const found = getPath(item, operand.path);
      if (found === undefined) throw validation('The provided expression refers to an attribute that does not exist in the item');
      return found;
    }
    case 'if_not_exists':
      return getPath(item, operand.path) ?? operandOf(operand.fallback, item);
    case 'list_append': {
      const first = operandOf(operand.first, item);
      const second = operandOf(operand.second, item);
      if (!('L' in first) || !('L' in second)) throw wrongType();
      return { L: [...first.L, ...second.L] };
    }
    case 'size':
      throw wrongType();
  }
}

function add(existing: AttributeValue | undefined, value: AttributeValue): AttributeValue {
  if (existing === undefined) return value;
  if ('N' in value) {
    if (!('N' in existing)) throw wrongType();
    return { N: addNumbers(existing.N, value.N) };
  }
  if ('SS' in value && 'SS' in existing) return { SS: union(existing.SS, value.SS, (a, b) => a === b) };
  if ('NS' in value && 'NS' in existing) return { NS: union(existing.NS, value.NS, (a, b) => compareNumbers(a, b) === 0) };
  if ('BS' in value && 'BS' in existing) return { BS: union(existing.BS, value.BS, (a, b) => compareBinary(a, b) === 0) };
  throw wrongType();
}

/** The set without the given members; undefined when nothing is left (DynamoDB then removes the attribute). */
function subtract(existing: AttributeValue, value: AttributeValue): AttributeValue | undefined {
  let left: string[];
  if ('SS' in value && 'SS' in existing) left = existing.SS.filter((s) => !value.SS.includes(s));
  else if ('NS' in value && 'NS' in existing) left = existing.NS.filter((n) => !value.NS.some((m) => compareNumbers(n, m) === 0));
  else if ('BS' in value && 'BS' in existing) left = existing.BS.filter((b) => !value.BS.some((c) => compareBinary(b, c) === 0));
  else throw wrongType();
  if (left.length === 0) return undefined;
  return 'SS' in existing ? { SS: left } : 'NS' in existing ? { NS: left } : { BS: left };
}

function union(existing: string[], added: string[], same: (a: string, b: string) => boolean): string[] {
  const out = [...existing];
  for (const member of added) if (!out.some((m) => same(m, member))) out.push(member);
  return out;
}
