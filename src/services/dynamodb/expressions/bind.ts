import type { AttributeValue } from '../../../storage/index.js';
import { typeOf } from '../values/attributes.js';
import { compareScalars } from '../values/compare.js';
import { Issues, showPath, type CallNode, type Comparator, type ConditionNode, type OperandNode, type PathNode, type SetValueNode, type UpdateActionNode } from './syntax.js';

/**
 * Applies one request's ExpressionAttributeNames and ExpressionAttributeValues to parsed trees, giving trees that
 * hold real attribute names and values, and finds the problems that depend on them (undefined placeholders,
 * operand types, BETWEEN bounds, overlapping update paths).
 */

/** A document path with names resolved: strings for map keys, numbers for list indexes. */
export type Path = (string | number)[];

export type Operand = { kind: 'path'; path: Path } | { kind: 'value'; value: AttributeValue } | { kind: 'size'; operand: Operand };

export type Condition =
  | { kind: 'compare'; op: Comparator; left: Operand; right: Operand }
  | { kind: 'between'; subject: Operand; low: Operand; high: Operand }
  | { kind: 'in'; subject: Operand; options: Operand[] }
  | { kind: 'exists' | 'not_exists'; path: Path }
  | { kind: 'type'; subject: Operand; type: Operand }
  | { kind: 'begins_with' | 'contains'; subject: Operand; operand: Operand }
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; operand: Condition };

export type UpdateOperand = Operand | { kind: 'if_not_exists'; path: Path; fallback: UpdateOperand } | { kind: 'list_append'; first: UpdateOperand; second: UpdateOperand };

export type UpdateValue = UpdateOperand | { kind: 'arithmetic'; op: '+' | '-'; left: UpdateOperand; right: UpdateOperand };

export type UpdateAction =
  | { kind: 'SET'; path: Path; value: UpdateValue }
  | { kind: 'REMOVE'; path: Path }
  | { kind: 'ADD' | 'DELETE'; path: Path; value: AttributeValue };

const ATTRIBUTE_TYPES = ['S', 'N', 'B', 'NULL', 'SS', 'BOOL', 'L', 'BS', 'NS', 'M'];
const TYPE_WORDS: Record<string, string> = { S: 'STRING', N: 'NUMBER', B: 'BINARY', NULL: 'NULL', BOOL: 'BOOLEAN', L: 'LIST', M: 'MAP' };

export class Binder {
  readonly usedNames = new Set<string>();
  readonly usedValues = new Set<string>();

  constructor(
    private readonly names: Readonly<Record<string, string>> | undefined,
    private readonly values: Readonly<Record<string, AttributeValue>> | undefined,
  ) {}

  path(node: PathNode, issues: Issues): Path {
    return node.parts.map((part) => {
      if ('index' in part) return part.index;
      if ('name' in part) return part.name;
      const name = this.names?.[part.ref];
      if (name === undefined) {
        issues.add('undefinedName', `An expression attribute name used in the document path is not defined; attribute name: ${part.ref}`);
        return part.ref;
      }
      this.usedNames.add(part.ref);
      return name;
    });
  }

  value(ref: string, issues: Issues): AttributeValue {
    const value = this.values?.[ref];
    if (value === undefined) {
      issues.add('undefinedValue', `An expression attribute value used in expression is not defined; attribute value: ${ref}`);
      return { NULL: true };
    }
    this.usedValues.add(ref);
    return value;
  }

  operand(node: OperandNode, issues: Issues): Operand {
    if (node.kind === 'path') return { kind: 'path', path: this.path(node, issues) };
    if (node.kind === 'value') return { kind: 'value', value: this.value(node.ref, issues) };
    // Only size() is an operand in conditions; other calls were reported when parsing.
    const operand = this.operand(node.args[0] ?? { kind: 'value', ref: ':' }, issues);
    if (node.name === 'size') checkSizeOperand(operand, issues);
    return { kind: 'size', operand };
  }

  condition(node: ConditionNode, issues: Issues): Condition {
    switch (node.kind) {
      case 'and':
      case 'or':
        return { kind: node.kind, left: this.condition(node.left, issues), right: this.condition(node.right, issues) };
      case 'not':
        return { kind: 'not', operand: this.condition(node.operand, issues) };
      case 'compare': {
        const left = this.operand(node.left, issues);
        const right = this.operand(node.right, issues);
        checkDistinct(node.op, left, right, issues);
        return { kind: 'compare', op: node.op, left, right };
      }
      case 'between': {
        const subject = this.operand(node.subject, issues);
        const low = this.operand(node.low, issues);
        const high = this.operand(node.high, issues);
        checkDistinct('BETWEEN', subject, low, issues);
        checkBounds(low, high, issues);
        return { kind: 'between', subject, low, high };
      }
      case 'in': {
        const subject = this.operand(node.subject, issues);
        const options = node.options.map((option) => this.operand(option, issues));
        if (options[0]) checkDistinct('IN', subject, options[0], issues);
        return { kind: 'in', subject, options };
      }
      case 'function':
        return this.functionCondition(node.call, issues);
    }
  }

  private functionCondition(call: CallNode, issues: Issues): Condition {
    const args = call.args.map((arg) => this.operand(arg, issues));
    const [first = placeholder(), second = placeholder()] = args;
    if (args.length === 2) checkDistinct(call.name, first, second, issues);
    switch (call.name) {
      case 'attribute_exists':
      case 'attribute_not_exists':
        return { kind: call.name === 'attribute_exists' ? 'exists' : 'not_exists', path: first.kind === 'path' ? first.path : [] };
      case 'attribute_type':
        checkTypeName(second, issues);
        return { kind: 'type', subject: first, type: second };
      case 'begins_with':
        for (const arg of args) checkOperandType('begins_with', arg, ['S', 'B'], issues);
        return { kind: 'begins_with', subject: first, operand: second };
      default:
        return { kind: 'contains', subject: first, operand: second };
    }
  }

  updateActions(nodes: UpdateActionNode[], issues: Issues): UpdateAction[] {
    const actions = nodes.map((node) => this.updateAction(node, issues));
    checkOverlaps(actions.map((a) => a.path), issues);
    return actions;
  }

  private updateAction(node: UpdateActionNode, issues: Issues): UpdateAction {
    const path = this.path(node.path, issues);
    if (node.kind === 'REMOVE') return { kind: 'REMOVE', path };
    if (node.kind === 'SET') return { kind: 'SET', path, value: this.setValue(node.value, issues) };
    const value = this.value(node.value.ref, issues);
    const type = typeOf(value);
    const allowed = node.kind === 'ADD' ? ['N', 'SS', 'NS', 'BS'] : ['SS', 'NS', 'BS'];
    if (!allowed.includes(type)) {
      issues.add('operandType', `Incorrect operand type for operator or function; operator: ${node.kind}, operand type: ${TYPE_WORDS[type] ?? type}`);
    }
    return { kind: node.kind, path, value };
  }

  private setValue(node: SetValueNode, issues: Issues): UpdateValue {
    if (node.kind !== 'arithmetic') return this.updateOperand(node, issues);
    const left = this.updateOperand(node.left, issues);
    const right = this.updateOperand(node.right, issues);
    for (const operand of [left, right]) checkUpdateOperandType(node.op, operand, 'N', issues);
    return { kind: 'arithmetic', op: node.op, left, right };
  }

  private updateOperand(node: OperandNode, issues: Issues): UpdateOperand {
    if (node.kind !== 'call') return this.operand(node, issues);
    const args = node.args.map((arg) => this.updateOperand(arg, issues));
    const [first = placeholder(), second = placeholder()] = args;
    if (node.name === 'if_not_exists') return { kind: 'if_not_exists', path: first.kind === 'path' ? first.path : [], fallback: second };
    for (const arg of args) checkUpdateOperandType('list_append', arg, 'L', issues);
    return { kind: 'list_append', first, second };
  }

  /** A projection's paths, with overlapping or conflicting paths reported as DynamoDB does. */
  projection(nodes: PathNode[], issues: Issues): Path[] {
    const paths = nodes.map((node) => this.path(node, issues));
    checkOverlaps(paths, issues);
    return paths;
  }
}

function placeholder(): Operand {
  return { kind: 'value', value: { NULL: true } };
}

function describe(value: AttributeValue): string {
  const type = typeOf(value);
  const inner = (value as Record<string, unknown>)[type];
  return `{${type}:${Array.isArray(inner) ? `[${inner.join(', ')}]` : typeof inner === 'object' ? JSON.stringify(inner) : String(inner)}}`;
}

function checkBounds(low: Operand, high: Operand, issues: Issues): void {
  if (low.kind !== 'value' || high.kind !== 'value') return;
  const bounds = `lower bound operand: AttributeValue: ${describe(low.value)}, upper bound operand: AttributeValue: ${describe(high.value)}`;
  if (typeOf(low.value) !== typeOf(high.value)) {
    issues.add('function', `The BETWEEN operator requires same data type for lower and upper bounds; ${bounds}`);
    return;
  }
  const order = compareScalars(low.value, high.value);
  if (order !== undefined && order > 0) issues.add('function', `The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ${bounds}`);
}

function checkDistinct(operator: string, first: Operand, second: Operand, issues: Issues): void {
  if (first.kind !== 'path' || second.kind !== 'path' || first.path.length !== second.path.length) return;
  if (first.path.every((part, i) => part === second.path[i])) {
    issues.add('distinct', `The first operand must be distinct from the remaining operands for this operator or function; operator: ${operator}, first operand: ${showPath(first.path)}`);
  }
}

function checkSizeOperand(operand: Operand, issues: Issues): void {
  if (operand.kind !== 'value') return;
  const type = typeOf(operand.value);
  if (type === 'N' || type === 'BOOL' || type === 'NULL') {
    issues.add('function', `Incorrect operand type for operator or function; operator or function: size, operand type: ${type}`);
  }
}

function checkOperandType(name: string, operand: Operand, allowed: string[], issues: Issues): void {
  const type = operand.kind === 'value' ? typeOf(operand.value) : operand.kind === 'size' ? 'N' : undefined;
  if (type !== undefined && !allowed.includes(type)) {
    issues.add('function', `Incorrect operand type for operator or function; operator or function: ${name}, operand type: ${type}`);
  }
}

function checkUpdateOperandType(name: string, operand: UpdateOperand, allowed: string, issues: Issues): void {
  if (operand.kind !== 'value') return;
  const type = typeOf(operand.value);
  if (type !== allowed) issues.add('function', `Incorrect operand type for operator or function; operator or function: ${name}, operand type: ${type}`);
}

function checkTypeName(operand: Operand, issues: Issues): void {
  if (operand.kind !== 'value' || !('S' in operand.value)) {
    const type = operand.kind === 'value' ? typeOf(operand.value) : operand.kind === 'size' ? 'N' : '{NS,SS,L,BS,N,M,B,BOOL,NULL,S}';
    issues.add('function', `Incorrect operand type for operator or function; operator or function: attribute_type, operand type: ${type}`);
    return;
  }
  if (!ATTRIBUTE_TYPES.includes(operand.value.S)) {
    issues.add('function', `Invalid attribute type name found; type: ${operand.value.S}, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}`);
  }
}

/** Two update (or projection) paths may not be one the prefix of the other, nor disagree on map versus list. */
function checkOverlaps(paths: Path[], issues: Issues): void {
  for (let i = 1; i < paths.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = paths[j]!;
      const b = paths[i]!;
      let k = 0;
      while (k < a.length && k < b.length && a[k] === b[k]) k++;
      if (k < a.length && k < b.length) {
        if (typeof a[k] !== typeof b[k]) {
          issues.add('conflict', `Two document paths conflict with each other; must remove or rewrite one of these paths; path one: ${showPath(a)}, path two: ${showPath(b)}`);
        }
        continue;
      }
      issues.add('overlap', `Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${showPath(a)}, path two: ${showPath(b)}`);
    }
  }
}
