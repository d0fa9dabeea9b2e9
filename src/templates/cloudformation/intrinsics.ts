/**
 * CloudFormation's intrinsic functions and condition functions, evaluated as CloudFormation evaluates them
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html): what a
 * reference names (parameters, pseudo parameters, resources) is the caller's, through Scope.
 */
import { TemplateError } from './problems.js';

/** `Ref: AWS::NoValue`: the property or list item it stands in is left out. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

type Path = readonly PropertyKey[];

export interface Scope {
  /** A parameter, pseudo parameter or resource; throws TemplateError for a name the template does not have. */
  ref(name: string, path: Path): unknown;
  getAtt(resource: string, attribute: string, path: Path): unknown;
  condition(name: string, path: Path): boolean;
  findInMap(map: string, topKey: string, secondKey: string, path: Path): unknown;
  importValue(name: string, path: Path): unknown;
  region: string;
}

const FUNCTIONS: Record<string, (args: unknown, scope: Scope, path: Path) => unknown> = {
  Ref: (name, scope, path) => scope.ref(text(name, path, 'Ref'), path),
  Condition: (name, scope, path) => scope.condition(text(name, path, 'Condition'), path),
  'Fn::GetAtt': getAtt,
  'Fn::Sub': sub,
  'Fn::Join': join,
  'Fn::Select': select,
  'Fn::Split': split,
  'Fn::If': fnIf,
  'Fn::FindInMap': findInMap,
  'Fn::ImportValue': (name, scope, path) => scope.importValue(text(evaluate(name, scope, [...path, 'Fn::ImportValue']), path, 'Fn::ImportValue'), path),
  'Fn::Equals': equals,
  'Fn::And': (args, scope, path) => conditionList(args, scope, path, 'Fn::And').every(Boolean),
  'Fn::Or': (args, scope, path) => conditionList(args, scope, path, 'Fn::Or').some(Boolean),
  'Fn::Not': fnNot,
  'Fn::Base64': (value, scope, path) => Buffer.from(text(evaluate(value, scope, [...path, 'Fn::Base64']), path, 'Fn::Base64')).toString('base64'),
  'Fn::GetAZs': getAzs,
  'Fn::Length': (value, scope, path) => list(evaluate(value, scope, [...path, 'Fn::Length']), path, 'Fn::Length').length,
  'Fn::ToJsonString': (value, scope, path) => JSON.stringify(evaluate(value, scope, [...path, 'Fn::ToJsonString'])),
};

/** Whether a value is an intrinsic function call: a map with one key naming a function. */
export function intrinsicName(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const key = keys[0]!;
  return key === 'Ref' || key === 'Condition' || key.startsWith('Fn::') ? key : undefined;
}

/**
 * Evaluates every intrinsic function in a value; AWS::NoValue leaves the property or list item out. With `errors`,
 * a property or item that fails is collected there and left out, so one pass finds every problem.
 */
export function evaluate(value: unknown, scope: Scope, path: Path, errors?: TemplateError[]): unknown {
  const name = intrinsicName(value);
  if (name !== undefined) {
    const fn = FUNCTIONS[name];
    const args = (value as Record<string, unknown>)[name];
    if (fn === undefined) throw new TemplateError(path, `${name} is not an intrinsic function Flint evaluates (known: ${Object.keys(FUNCTIONS).join(', ')})`);
    return fn(args, scope, [...path, name]);
  }
  const child = (item: unknown, at: PropertyKey): unknown => {
    if (errors === undefined) return evaluate(item, scope, [...path, at]);
    try {
      return evaluate(item, scope, [...path, at], errors);
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      errors.push(error);
      return NO_VALUE;
    }
  };
  if (Array.isArray(value)) return value.map((item, i) => child(item, i)).filter((item) => item !== NO_VALUE);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const result = child(item, key);
      if (result !== NO_VALUE) out[key] = result;
    }
    return out;
  }
  return value;
}

/** A condition's value: `Fn::Equals`, `Fn::And`... or `Condition: Name`. */
export function evaluateCondition(value: unknown, scope: Scope, path: Path): boolean {
  const result = evaluate(value, scope, path);
  if (typeof result !== 'boolean') throw new TemplateError(path, 'expected a condition function (Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition)');
  return result;
}

function text(value: unknown, path: Path, fn: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TemplateError(path, `${fn} expects a string here, got ${describe(value)}`);
}

function list(value: unknown, path: Path, fn: string): unknown[] {
  if (Array.isArray(value)) return value;
  throw new TemplateError(path, `${fn} expects a list here, got ${describe(value)}`);
}

function describe(value: unknown): string {
  if (value === undefined || value === null) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return JSON.stringify(value);
}

function args(value: unknown, path: Path, fn: string, count: number): unknown[] {
  const items = list(value, path, fn);
  if (items.length !== count) throw new TemplateError(path, `${fn} takes ${count} arguments, got ${items.length}`);
  return items;
}

function getAtt(value: unknown, scope: Scope, path: Path): unknown {
  const parts = typeof value === 'string' ? splitOnce(value) : list(value, path, 'Fn::GetAtt').map((item, i) => evaluate(item, scope, [...path, i]));
  const [resource, attribute] = parts;
  if (typeof resource !== 'string' || typeof attribute !== 'string') throw new TemplateError(path, 'Fn::GetAtt takes [LogicalId, Attribute] or "LogicalId.Attribute"');
  return scope.getAtt(resource, attribute, path);
}

function splitOnce(value: string): string[] {
  const dot = value.indexOf('.');
  return dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
}

const SUB_VARIABLE = /\$\{([^}]*)\}/g;

function sub(value: unknown, scope: Scope, path: Path): string {
  const [template, variables] = Array.isArray(value) ? [value[0], value[1] ?? {}] : [value, {}];
  const source = text(template, path, 'Fn::Sub');
  const locals = evaluate(variables, scope, [...path, 1]);
  if (locals === null || typeof locals !== 'object' || Array.isArray(locals)) throw new TemplateError(path, 'Fn::Sub takes a string, or [string, { Name: value }]');
  return source.replace(SUB_VARIABLE, (_whole, name: string) => {
    // `${!Literal}` writes `${Literal}` as it is.
    if (name.startsWith('!')) return `\${${name.slice(1)}}`;
    const trimmed = name.trim();
    if (trimmed in locals) return text((locals as Record<string, unknown>)[trimmed], path, 'Fn::Sub');
    const dot = trimmed.indexOf('.');
    const resolved = dot > 0 && !trimmed.startsWith('AWS::') ? scope.getAtt(trimmed.slice(0, dot), trimmed.slice(dot + 1), path) : scope.ref(trimmed, path);
    return text(resolved, path, 'Fn::Sub');
  });
}

function join(value: unknown, scope: Scope, path: Path): string {
  const [delimiter, items] = args(value, path, 'Fn::Join', 2);
  const values = list(evaluate(items, scope, [...path, 1]), path, 'Fn::Join');
  return values.map((item) => text(item, path, 'Fn::Join')).join(text(delimiter, path, 'Fn::Join'));
}

function select(value: unknown, scope: Scope, path: Path): unknown {
  const [index, items] = args(value, path, 'Fn::Select', 2);
  const at = Number(evaluate(index, scope, [...path, 0]));
  const values = list(evaluate(items, scope, [...path, 1]), path, 'Fn::Select');
  if (!Number.isInteger(at) || at < 0 || at >= values.length) throw new TemplateError(path, `Fn::Select index ${String(index)} is outside the list of ${values.length}`);
  return values[at];
}

function split(value: unknown, scope: Scope, path: Path): string[] {
  const [delimiter, source] = args(value, path, 'Fn::Split', 2);
  return text(evaluate(source, scope, [...path, 1]), path, 'Fn::Split').split(text(delimiter, path, 'Fn::Split'));
}

function fnIf(value: unknown, scope: Scope, path: Path): unknown {
  const [name, whenTrue, whenFalse] = args(value, path, 'Fn::If', 3);
  const chosen = scope.condition(text(name, path, 'Fn::If'), path) ? whenTrue : whenFalse;
  return evaluate(chosen, scope, [...path, chosen === whenTrue ? 1 : 2]);
}

function findInMap(value: unknown, scope: Scope, path: Path): unknown {
  const items = list(value, path, 'Fn::FindInMap');
  if (items.length < 3) throw new TemplateError(path, 'Fn::FindInMap takes [MapName, TopLevelKey, SecondLevelKey]');
  const [map, top, second] = items.slice(0, 3).map((item, i) => text(evaluate(item, scope, [...path, i]), path, 'Fn::FindInMap'));
  return scope.findInMap(map!, top!, second!, path);
}

function equals(value: unknown, scope: Scope, path: Path): boolean {
  const [a, b] = args(value, path, 'Fn::Equals', 2).map((item, i) => evaluate(item, scope, [...path, i]));
  return JSON.stringify(normalised(a)) === JSON.stringify(normalised(b));
}

/** CloudFormation compares strings: a Number parameter "3" equals 3. */
function normalised(value: unknown): unknown {
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
}

function conditionList(value: unknown, scope: Scope, path: Path, fn: string): boolean[] {
  const items = list(value, path, fn);
  if (items.length < 2 || items.length > 10) throw new TemplateError(path, `${fn} takes 2 to 10 conditions, got ${items.length}`);
  return items.map((item, i) => evaluateCondition(item, scope, [...path, i]));
}

function fnNot(value: unknown, scope: Scope, path: Path): boolean {
  const [item] = args(value, path, 'Fn::Not', 1);
  return !evaluateCondition(item, scope, [...path, 0]);
}

/** Flint has no availability zones; a region's first three letters stand in, as `Fn::GetAZs` lists them on AWS. */
function getAzs(value: unknown, scope: Scope, path: Path): string[] {
  const given = evaluate(value, scope, [...path, 'Fn::GetAZs']);
  const region = typeof given === 'string' && given !== '' ? given : scope.region;
  return ['a', 'b', 'c'].map((zone) => `${region}${zone}`);
}
