import { isFlintError } from '../../../core/index.js';
import type { AttributeValue } from '../../../storage/index.js';
import { validation } from '../errors.js';
import { checkValue } from '../values/attributes.js';
import { Binder, type Condition, type Path, type UpdateAction } from './bind.js';
import type { ExpressionCache } from './cache.js';
import { ExpressionError, Issues, type IssueCategory } from './syntax.js';

/** The expression parameters a request may carry. */
export interface ExpressionParams {
  UpdateExpression?: string;
  ConditionExpression?: string;
  KeyConditionExpression?: string;
  FilterExpression?: string;
  ProjectionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}

/** A request's expressions with its names and values applied, ready to evaluate. */
export interface BoundExpressions {
  update?: UpdateAction[];
  condition?: Condition;
  keyCondition?: Condition;
  filter?: Condition;
  projection?: Path[];
}

const CONDITION_ORDER: IssueCategory[] = ['parens', 'unknownFunction', 'misusedFunction', 'reserved', 'undefinedName', 'undefinedValue', 'operandCount', 'distinct', 'function'];
const UPDATE_ORDER: IssueCategory[] = ['reserved', 'unknownFunction', 'section', 'undefinedName', 'undefinedValue', 'overlap', 'conflict', 'operandType', 'operandCount', 'function'];
const PROJECTION_ORDER: IssueCategory[] = ['reserved', 'undefinedName', 'overlap', 'conflict'];
/** DynamoDB's limit on any one expression. */
const MAX_EXPRESSION_BYTES = 4096;
const NAME_KEY = /^#[0-9a-zA-Z_]+$/;
const VALUE_KEY = /^:[0-9a-zA-Z_]+$/;

/**
 * Validates and binds every expression of a request in DynamoDB's order: the names and values maps first, then
 * UpdateExpression, ConditionExpression, KeyConditionExpression, FilterExpression and ProjectionExpression, then
 * names and values that no expression used.
 */
export function bindExpressions(params: ExpressionParams, cache: ExpressionCache): BoundExpressions {
  const names = checkNames(params.ExpressionAttributeNames);
  const values = checkValues(params.ExpressionAttributeValues);
  const binder = new Binder(names, values);
  const bound: BoundExpressions = {};
  if (params.UpdateExpression !== undefined) {
    bound.update = within('UpdateExpression', params.UpdateExpression, (source) => {
      const parsed = cache.update(source);
      const issues = new Issues();
      issues.merge(parsed.issues);
      const actions = binder.updateActions(parsed.actions, issues);
      return report(actions, issues, UPDATE_ORDER);
    });
  }
  if (params.ConditionExpression !== undefined) bound.condition = condition('ConditionExpression', params.ConditionExpression, binder, cache);
  if (params.KeyConditionExpression !== undefined) bound.keyCondition = condition('KeyConditionExpression', params.KeyConditionExpression, binder, cache);
  if (params.FilterExpression !== undefined) bound.filter = condition('FilterExpression', params.FilterExpression, binder, cache);
  if (params.ProjectionExpression !== undefined) {
    bound.projection = within('ProjectionExpression', params.ProjectionExpression, (source) => {
      const parsed = cache.projection(source);
      const issues = new Issues();
      issues.merge(parsed.issues);
      return report(binder.projection(parsed.paths, issues), issues, PROJECTION_ORDER);
    });
  }
  const unusedNames = Object.keys(names ?? {}).filter((name) => !binder.usedNames.has(name));
  if (unusedNames.length > 0) throw validation(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${unusedNames.join(', ')}}`);
  const unusedValues = Object.keys(values ?? {}).filter((value) => !binder.usedValues.has(value));
  if (unusedValues.length > 0) throw validation(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${unusedValues.join(', ')}}`);
  return bound;
}

function condition(name: string, source: string, binder: Binder, cache: ExpressionCache): Condition {
  return within(name, source, (text) => {
    const parsed = cache.condition(text);
    const issues = new Issues();
    issues.merge(parsed.issues);
    return report(binder.condition(parsed.root, issues), issues, CONDITION_ORDER);
  });
}

function report<T>(result: T, issues: Issues, order: IssueCategory[]): T {
  const message = issues.first(order);
  if (message !== undefined) throw new ExpressionError(message);
  return result;
}

/** Runs one expression's work, turning its problems into "Invalid <name>: ..." validation errors. */
function within<T>(name: string, source: string, work: (source: string) => T): T {
  if (source.length === 0) throw validation(`Invalid ${name}: The expression can not be empty;`);
  const size = Buffer.byteLength(source, 'utf8');
  if (size > MAX_EXPRESSION_BYTES) throw validation(`Invalid ${name}: Expression size has exceeded the maximum allowed size; expression size: ${size}`);
  try {
    return work(source);
  } catch (error) {
    if (error instanceof ExpressionError) throw validation(error.prefixed ? `Invalid ${name}: ${error.message}` : error.message);
    throw error;
  }
}

function checkNames(names: Record<string, string> | undefined): Record<string, string> | undefined {
  if (names === undefined) return undefined;
  const keys = Object.keys(names);
  if (keys.length === 0) throw validation('ExpressionAttributeNames must not be empty');
  for (const key of keys) {
    if (!NAME_KEY.test(key)) throw validation(`ExpressionAttributeNames contains invalid key: Syntax error; key: "${key}"`);
  }
  return names;
}

function checkValues(values: Record<string, unknown> | undefined): Record<string, AttributeValue> | undefined {
  if (values === undefined) return undefined;
  const keys = Object.keys(values);
  if (keys.length === 0) throw validation('ExpressionAttributeValues must not be empty');
  for (const key of keys) {
    if (!VALUE_KEY.test(key)) throw validation(`ExpressionAttributeValues contains invalid key: Syntax error; key: "${key}"`);
  }
  for (const key of keys) {
    try {
      values[key] = checkValue(values[key]);
    } catch (error) {
      if (!isFlintError(error, 'INVALID_PARAMETER')) throw error;
      throw validation(`ExpressionAttributeValues contains invalid value: ${error.message} for key ${key}`);
    }
  }
  return values as Record<string, AttributeValue>;
}

/**
 * Expression and legacy parameters may not be mixed, and placeholders need an expression to live in. `expressions`
 * and `legacy` list the operation's parameters in the order DynamoDB names them in its messages.
 */
export function checkExpressionParams(input: object, expressions: readonly string[], legacy: readonly string[]): void {
  const present = (name: string) => (input as Record<string, unknown>)[name] !== undefined && (input as Record<string, unknown>)[name] !== null;
  const usedExpressions = expressions.filter(present);
  if (usedExpressions.length > 0) {
    // A KeyConditions map next to expressions is only an error once KeyConditionExpression is given too.
    const legacyNames = present('KeyConditions') && !present('KeyConditionExpression') ? legacy.filter((n) => n !== 'KeyConditions') : legacy;
    const usedLegacy = legacyNames.filter(present);
    if (usedLegacy.length > 0) {
      throw validation(`Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {${usedLegacy.join(', ')}} Expression parameters: {${usedExpressions.join(', ')}}`);
    }
  }
  if (present('ExpressionAttributeNames') && usedExpressions.length === 0) {
    throw validation('ExpressionAttributeNames can only be specified when using expressions');
  }
  const valueExpressions = expressions.filter((name) => name !== 'ProjectionExpression');
  if (present('ExpressionAttributeValues') && valueExpressions.length > 0 && !valueExpressions.some(present)) {
    throw validation(`ExpressionAttributeValues can only be specified when using expressions: ${valueExpressions.join(' and ')} ${valueExpressions.length > 1 ? 'are' : 'is'} null`);
  }
}
