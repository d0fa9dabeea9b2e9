import type { AttributeValue } from '../../../storage/index.js';
import { validation } from '../errors.js';
import type { Condition, Operand, Path, UpdateAction, UpdateOperand, UpdateValue } from '../expressions/bind.js';
import { checkValue, typeOf } from '../values/attributes.js';
import { normalizeNumber } from '../values/numbers.js';
import type { Expr, UpdateStep } from './ast.js';

type Call = Extract<Expr, { kind: 'call' }>;
import { malformed } from './errors.js';

/**
 * Turns a parsed statement's expressions into the trees the native API evaluates (conditions, operands, update
 * actions, attribute values), with `?` parameters replaced by the request's Parameters.
 */

export class StatementBinder {
  constructor(private readonly parameters: readonly AttributeValue[]) {}

  /** A literal (or parameter) as an attribute value. */
  value(expr: Expr): AttributeValue {
    switch (expr.kind) {
      case 'string':
        return { S: expr.value };
      case 'number':
        return { N: normalizeNumber(expr.text) };
      case 'boolean':
        return { BOOL: expr.value };
      case 'null':
        return { NULL: true };
      case 'param':
        return this.parameters[expr.index]!;
      case 'map':
        return { M: Object.fromEntries(expr.entries.map(([name, value]) => [name, this.value(value)])) };
      case 'list':
        return { L: expr.items.map((item) => this.value(item)) };
      case 'bag':
        return this.set(expr.items.map((item) => this.value(item)));
      default:
        throw malformed(`Unexpected ${expr.kind === 'path' ? 'path' : 'expression'} where a value is expected`);
    }
  }

  /** A bag of strings, numbers or binaries is a set; DynamoDB has no other bags. */
  private set(members: AttributeValue[]): AttributeValue {
    if (members.length === 0) throw validation('Empty bags are not supported');
    const types = new Set(members.map(typeOf));
    const [type] = types;
    if (types.size !== 1 || (type !== 'S' && type !== 'N' && type !== 'B')) {
      throw validation('Unsupported operation: Set members must be all strings, all numbers or all binaries and not empty');
    }
    const values = members.map((m) => Object.values(m)[0] as string);
    return checkValue({ [`${type}S`]: values });
  }

  operand(expr: Expr): Operand {
    if (expr.kind === 'path') return { kind: 'path', path: expr.path };
    if (expr.kind === 'call' && expr.name === 'size') return { kind: 'size', operand: this.operand(this.argument(expr, 0, 1)) };
    if (expr.kind === 'call' || expr.kind === 'arithmetic' || isCondition(expr)) throw malformed(`Unsupported expression in a condition operand: ${describe(expr)}`);
    return { kind: 'value', value: this.value(expr) };
  }

  condition(expr: Expr): Condition {
    switch (expr.kind) {
      case 'compare':
        return { kind: 'compare', op: expr.op, left: this.operand(expr.left), right: this.operand(expr.right) };
      case 'between':
        return { kind: 'between', subject: this.operand(expr.subject), low: this.operand(expr.low), high: this.operand(expr.high) };
      case 'in':
        return { kind: 'in', subject: this.operand(expr.subject), options: expr.options.map((o) => this.operand(o)) };
      case 'and':
      case 'or':
        return { kind: expr.kind, left: this.condition(expr.left), right: this.condition(expr.right) };
      case 'not':
        return { kind: 'not', operand: this.condition(expr.operand) };
      case 'missing':
        return { kind: expr.negated ? 'exists' : 'not_exists', path: expr.path };
      case 'call':
        return this.call(expr);
      default:
        throw malformed(`Expected a condition, found ${describe(expr)}`);
    }
  }

  // The messages below for misused functions are real DynamoDB's as a public conformance suite recorded them.
  private call(expr: Call): Condition {
    switch (expr.name) {
      case 'attribute_exists':
        return { kind: 'exists', path: this.pathArgument(expr) };
      case 'attribute_not_exists':
        return { kind: 'not_exists', path: this.pathArgument(expr) };
      case 'begins_with':
      case 'contains':
        return { kind: expr.name, subject: this.operand(this.argument(expr, 0, 2)), operand: this.operand(this.argument(expr, 1, 2)) };
      case 'attribute_type':
        return { kind: 'type', subject: this.operand(this.argument(expr, 0, 2)), type: this.operand(this.argument(expr, 1, 2)) };
      default:
        throw validation(`Unrecognized function: ${expr.name} at ${expr.at}`);
    }
  }

  private pathArgument(expr: Call): Path {
    const argument = this.argument(expr, 0, 1);
    if (argument.kind !== 'path') throw validation(`Operator or function requires a document path; operator or function: ${expr.name}`);
    return argument.path;
  }

  private argument(expr: Call, at: number, count: number): Expr {
    if (expr.args.length !== count) {
      throw validation(`Incorrect number of operands for operator or function; operator or function: ${expr.name}, number of operands: ${expr.args.length}`);
    }
    return expr.args[at]!;
  }

  /** SET and REMOVE steps as native update actions; set_add and set_delete become ADD and DELETE. */
  updateActions(steps: readonly UpdateStep[]): UpdateAction[] {
    return steps.map((step) => {
      if (step.kind === 'remove') return { kind: 'REMOVE', path: step.path };
      const value = step.value;
      if (value.kind === 'call' && (value.name === 'set_add' || value.name === 'set_delete')) return this.setChange(step.path, value);
      return { kind: 'SET', path: step.path, value: this.updateValue(value) };
    });
  }

  /** `a = set_add(a, <<...>>)` and `a = set_delete(a, <<...>>)`: ADD and DELETE of set members. */
  private setChange(path: Path, call: Call): UpdateAction {
    const name = call.name.toUpperCase();
    if (call.args.length !== 2) throw validation(`${name} must have exactly two arguments at ${call.at}`);
    const [target, members] = call.args as [Expr, Expr];
    if (target.kind !== 'path' || !samePath(target.path, path)) throw validation(`The first argument to ${name} must equal the assignment value at ${call.at}`);
    const value = members.kind === 'bag' || members.kind === 'param' ? this.value(members) : undefined;
    if (!value || !('SS' in value || 'NS' in value || 'BS' in value)) throw validation(`The second argument to ${name} must be a value with type SET at ${call.argsAt[0]}`);
    return { kind: call.name === 'set_add' ? 'ADD' : 'DELETE', path, value };
  }

  private updateValue(expr: Expr): UpdateValue {
    if (expr.kind === 'arithmetic') return { kind: 'arithmetic', op: expr.op, left: this.updateOperand(expr.left), right: this.updateOperand(expr.right) };
    return this.updateOperand(expr);
  }

  private updateOperand(expr: Expr): UpdateOperand {
    if (expr.kind === 'call' && expr.name === 'list_append') {
      return { kind: 'list_append', first: this.updateOperand(this.argument(expr, 0, 2)), second: this.updateOperand(this.argument(expr, 1, 2)) };
    }
    if (expr.kind === 'call' && expr.name === 'if_not_exists') {
      const path = this.argument(expr, 0, 2);
      if (path.kind !== 'path') throw validation('Incorrect operand type for function if_not_exists: expected an attribute path');
      return { kind: 'if_not_exists', path: path.path, fallback: this.updateOperand(this.argument(expr, 1, 2)) };
    }
    if (expr.kind === 'call') throw validation(`Unrecognized function: ${expr.name} at ${expr.at}`);
    if (expr.kind === 'path') return { kind: 'path', path: expr.path };
    return { kind: 'value', value: this.value(expr) };
  }
}

function samePath(a: Path, b: Path): boolean {
  return a.length === b.length && a.every((part, i) => part === b[i]);
}

function isCondition(expr: Expr): boolean {
  return ['compare', 'between', 'in', 'and', 'or', 'not', 'missing'].includes(expr.kind);
}

function describe(expr: Expr): string {
  return expr.kind === 'call' ? `${expr.name}()` : expr.kind;
}

/** The top-level AND terms of a WHERE clause. */
export function conjuncts(expr: Expr | undefined): Expr[] {
  if (!expr) return [];
  if (expr.kind === 'and') return [...conjuncts(expr.left), ...conjuncts(expr.right)];
  return [expr];
}

/** The values a term fixes an attribute to: `name = v` (either way round) or `name IN [...]`. */
export function fixedValues(term: Expr, name: string, allowIn: boolean): Expr[] | undefined {
  const isName = (e: Expr) => e.kind === 'path' && e.path.length === 1 && e.path[0] === name;
  const isValue = (e: Expr) => e.kind !== 'path' && e.kind !== 'call' && e.kind !== 'arithmetic';
  if (term.kind === 'compare' && term.op === '=') {
    if (isName(term.left) && isValue(term.right)) return [term.right];
    if (isName(term.right) && isValue(term.left)) return [term.left];
  }
  if (allowIn && term.kind === 'in' && isName(term.subject) && term.options.every(isValue)) return term.options;
  return undefined;
}

/** Joins conditions with AND; undefined when there are none. */
export function allOf(conditions: Condition[]): Condition | undefined {
  return conditions.reduce<Condition | undefined>((left, right) => (left ? { kind: 'and', left, right } : right), undefined);
}
