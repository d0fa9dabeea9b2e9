import type { AttributeValue } from '../../../storage/index.js';
import { validation } from '../errors.js';
import type { Condition, Operand } from './bind.js';

/** One key attribute's condition: DynamoDB's comparison operator names and their values. */
export interface KeyConstraint {
  op: 'EQ' | 'LT' | 'LE' | 'GT' | 'GE' | 'BETWEEN' | 'BEGINS_WITH';
  values: AttributeValue[];
}

const OPERATORS: Record<string, KeyConstraint['op']> = { '=': 'EQ', '<': 'LT', '<=': 'LE', '>': 'GT', '>=': 'GE' };
/** ":v < k" is "k > :v". */
const FLIPPED: Record<string, KeyConstraint['op']> = { '=': 'EQ', '<': 'GT', '<=': 'GE', '>': 'LT', '>=': 'LE' };

/**
 * A KeyConditionExpression as attribute → constraint. Only AND, the comparisons, BETWEEN and begins_with are
 * allowed, one condition per key attribute, each naming exactly one top-level attribute.
 */
export function keyConstraints(condition: Condition): Map<string, KeyConstraint> {
  const out = new Map<string, KeyConstraint>();
  collect(condition, out);
  return out;
}

function collect(condition: Condition, out: Map<string, KeyConstraint>): void {
  switch (condition.kind) {
    case 'and':
      collect(condition.left, out);
      collect(condition.right, out);
      return;
    case 'or':
    case 'not':
    case 'in':
      throw invalidOperator(condition.kind.toUpperCase());
    case 'exists':
      throw invalidOperator('attribute_exists');
    case 'not_exists':
      throw invalidOperator('attribute_not_exists');
    case 'type':
      throw invalidOperator('attribute_type');
    case 'contains':
      throw invalidOperator('contains');
    case 'compare': {
      if (condition.op === '<>') throw invalidOperator('<>');
      const { name, index } = keyAttribute([condition.left, condition.right]);
      const value = index === 0 ? condition.right : condition.left;
      add(out, name, { op: (index === 0 ? OPERATORS : FLIPPED)[condition.op]!, values: [valueOf(value)] });
      return;
    }
    case 'between':
      if (condition.subject.kind !== 'path') throw firstOperand('BETWEEN');
      add(out, keyAttribute([condition.subject, condition.low, condition.high]).name, { op: 'BETWEEN', values: [valueOf(condition.low), valueOf(condition.high)] });
      return;
    case 'begins_with':
      if (condition.subject.kind !== 'path') throw firstOperand('begins_with');
      add(out, keyAttribute([condition.subject, condition.operand]).name, { op: 'BEGINS_WITH', values: [valueOf(condition.operand)] });
      return;
  }
}

function keyAttribute(operands: Operand[]): { name: string; index: number } {
  let found: { name: string; index: number } | undefined;
  operands.forEach((operand, index) => {
    if (operand.kind === 'size') throw validation('KeyConditionExpressions cannot contain nested operations');
    if (operand.kind !== 'path') return;
    if (found) throw validation('Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition');
    if (operand.path.length > 1) throw validation('KeyConditionExpressions cannot have conditions on nested attributes');
    found = { name: String(operand.path[0]), index };
  });
  if (!found) throw validation('Invalid condition in KeyConditionExpression: No key attribute specified');
  return found;
}

function valueOf(operand: Operand): AttributeValue {
  return operand.kind === 'value' ? operand.value : { NULL: true };
}

function add(out: Map<string, KeyConstraint>, name: string, constraint: KeyConstraint): void {
  if (out.has(name)) throw validation('KeyConditionExpressions must only contain one condition per key');
  out.set(name, constraint);
}

function invalidOperator(name: string): Error {
  return validation(`Invalid operator used in KeyConditionExpression: ${name}`);
}

function firstOperand(name: string): Error {
  return validation(`Invalid condition in KeyConditionExpression: ${name} operator must have the key attribute as its first operand`);
}
