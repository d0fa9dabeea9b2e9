/**
 * Template parameters: a value from `--parameter-overrides` or the Default, checked against the parameter's
 * constraints as CloudFormation checks them at stack creation
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html).
 */
import { TemplateError } from './problems.js';

export type ParameterValue = string | string[];

interface ParameterDeclaration {
  Type?: unknown;
  Default?: unknown;
  AllowedValues?: unknown;
  AllowedPattern?: unknown;
  MinLength?: unknown;
  MaxLength?: unknown;
  MinValue?: unknown;
  MaxValue?: unknown;
  ConstraintDescription?: unknown;
}

/** `Key=Value` pairs as `sam deploy --parameter-overrides` takes them; a value may be quoted. */
export function parseParameterOverrides(items: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items.flatMap(splitPairs)) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new TemplateError([], `--parameter-overrides takes Key=Value pairs, got ${JSON.stringify(item)}`);
    // SAM also accepts ParameterKey=Name,ParameterValue=Value.
    const long = /^ParameterKey=([^,]+),ParameterValue=(.*)$/.exec(item);
    const [key, value] = long ? [long[1]!, long[2]!] : [item.slice(0, eq), item.slice(eq + 1)];
    out[key] = unquote(value);
  }
  return out;
}

/** "A=1 B='two words'" as one argument splits on spaces outside quotes. */
function splitPairs(text: string): string[] {
  return text.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? [];
}

function unquote(value: string): string {
  return /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
}

/** Every parameter's value; unknown overrides and missing values are errors. */
export function resolveParameters(declared: unknown, overrides: Record<string, string>): { values: Record<string, ParameterValue>; errors: TemplateError[] } {
  const values: Record<string, ParameterValue> = {};
  const errors: TemplateError[] = [];
  const declarations = declared !== null && typeof declared === 'object' ? (declared as Record<string, ParameterDeclaration>) : {};
  for (const key of Object.keys(overrides)) {
    if (!(key in declarations)) errors.push(new TemplateError(['Parameters'], `--parameter-overrides names ${key}, which the template does not declare (declared: ${Object.keys(declarations).join(', ') || 'none'})`));
  }
  for (const [name, declaration] of Object.entries(declarations)) {
    const path = ['Parameters', name];
    // CloudFormation: "Every Parameters object must contain a Type member" (a null or a string is not an object).
    if (declaration === null || typeof declaration !== 'object' || Array.isArray(declaration)) {
      errors.push(new TemplateError(path, `parameter ${name} must be a map with a Type (Type: String, Default: ...)`));
      continue;
    }
    const given = overrides[name] ?? (declaration.Default === undefined ? undefined : String(Array.isArray(declaration.Default) ? declaration.Default.join(',') : declaration.Default));
    if (given === undefined) {
      errors.push(new TemplateError(path, `parameter ${name} has no Default: give it with --parameter-overrides ${name}=<value>`));
      continue;
    }
    const problem = constraintProblem(name, given, declaration);
    if (problem !== undefined) errors.push(new TemplateError(overrides[name] === undefined ? [...path, 'Default'] : path, problem));
    else values[name] = typed(given, String(declaration.Type ?? 'String'));
  }
  return { values, errors };
}

/** Whether a value matches an AllowedPattern; a pattern that is not a regular expression matches nothing. */
function matchesPattern(pattern: string, value: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(value);
  } catch {
    return false;
  }
}

function typed(value: string, type: string): ParameterValue {
  return type === 'CommaDelimitedList' || type.startsWith('List<') ? value.split(',').map((item) => item.trim()) : value;
}

function constraintProblem(name: string, value: string, d: ParameterDeclaration): string | undefined {
  const type = String(d.Type ?? 'String');
  const why = typeof d.ConstraintDescription === 'string' ? ` (${d.ConstraintDescription})` : '';
  if (Array.isArray(d.AllowedValues) && !d.AllowedValues.map(String).includes(value)) {
    return `parameter ${name} is ${JSON.stringify(value)}, not one of its AllowedValues: ${d.AllowedValues.map(String).join(', ')}${why}`;
  }
  if (typeof d.AllowedPattern === 'string' && !matchesPattern(d.AllowedPattern, value)) {
    return `parameter ${name} is ${JSON.stringify(value)}, which does not match its AllowedPattern ${d.AllowedPattern}${why}`;
  }
  if (d.MinLength !== undefined && value.length < Number(d.MinLength)) return `parameter ${name} is shorter than its MinLength ${String(d.MinLength)}${why}`;
  if (d.MaxLength !== undefined && value.length > Number(d.MaxLength)) return `parameter ${name} is longer than its MaxLength ${String(d.MaxLength)}${why}`;
  if (type === 'Number' || type === 'List<Number>') {
    const numbers = value.split(',').map(Number);
    if (numbers.some(Number.isNaN)) return `parameter ${name} is of Type ${type}, got ${JSON.stringify(value)}`;
    if (d.MinValue !== undefined && numbers.some((n) => n < Number(d.MinValue))) return `parameter ${name} is below its MinValue ${String(d.MinValue)}${why}`;
    if (d.MaxValue !== undefined && numbers.some((n) => n > Number(d.MaxValue))) return `parameter ${name} is above its MaxValue ${String(d.MaxValue)}${why}`;
  }
  return undefined;
}
