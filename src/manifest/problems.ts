/**
 * Turns zod issues into problems a person can act on: where (file:line:column), which field, what was
 * expected and what was found.
 */
import { relative } from 'node:path';
import type { z } from 'zod';
import { didYouMean } from './did-you-mean.js';
import { isRecord } from './fields.js';
import type { Position } from './locate.js';
import type { ManifestProblem } from './types.js';

type Issue = z.core.$ZodIssue;

/**
 * How a message is completed: `value` gets ", got <value>" (or becomes "missing required field" when the value
 * is absent), `key` gets ", got <key>", `complete` is shown as it is.
 */
interface FlatIssue {
  path: PropertyKey[];
  message: string;
  kind: 'value' | 'key' | 'complete';
  options?: readonly unknown[];
}

export interface ProblemSource {
  file: string;
  /** The manifest as parsed from YAML, before validation. */
  data: unknown;
  locate(path: readonly PropertyKey[]): Position;
  /** How a path is named in messages; the manifest's dotted field by default (a template names its own). */
  field?(path: readonly PropertyKey[]): string;
}

export function problemsFromIssues(issues: readonly Issue[], source: ProblemSource): ManifestProblem[] {
  return dedupe(flatten(issues, []).map((issue) => toProblem(issue, source)));
}

/** Plain "expected ..." wording for issues whose schema did not bring its own message. */
export const expectationMessages: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return `expected ${issue.values.length === 1 ? String(issue.values[0]) : `one of ${issue.values.map(String).join(', ')}`}`;
    case 'too_small':
      return `expected ${sizeText(issue.origin, 'at least', issue.minimum)}`;
    case 'too_big':
      return `expected ${sizeText(issue.origin, 'at most', issue.maximum)}`;
    case 'invalid_format':
      return issue.format === 'regex' && issue.pattern !== undefined ? `expected a value matching ${issue.pattern}` : `expected a valid ${issue.format}`;
    default:
      return undefined;
  }
};

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'a map',
  record: 'a map',
  array: 'a list',
};

function sizeText(origin: string, bound: string, limit: unknown): string {
  const unit = origin === 'string' ? ' characters' : origin === 'array' ? ' items' : '';
  return `${origin === 'number' || origin === 'int' ? 'a number ' : ''}${bound} ${String(limit)}${unit}`;
}

/** zod nests issues inside unions and record keys; bring out the ones that say what is wrong. */
function flatten(issues: readonly Issue[], prefix: readonly PropertyKey[]): FlatIssue[] {
  return issues.flatMap((issue): FlatIssue[] => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union') {
      const informative = issue.errors.filter((branch) => !branch.every((inner) => inner.code === 'invalid_type' && inner.path.length === 0));
      if (informative.length === 1) return flatten(informative[0] ?? [], path);
      return [{ path, message: issue.message, kind: 'value' }];
    }
    if (issue.code === 'invalid_key') {
      const inner = issue.issues[0];
      return [{ path, message: inner?.message ?? issue.message, kind: inner?.code === 'custom' ? 'complete' : 'key' }];
    }
    if (issue.code === 'custom') return [{ path, message: issue.message, kind: 'complete' }];
    if (issue.code === 'invalid_value') return [{ path, message: issue.message, kind: 'value', options: issue.values }];
    return [{ path, message: issue.message, kind: 'value' }];
  });
}

function toProblem(issue: FlatIssue, source: ProblemSource): ManifestProblem {
  const { line, column } = source.locate(issue.path);
  const value = valueAt(source.data, issue.path);
  const parentPath = issue.path.slice(0, -1);
  const name = source.field ?? formatField;
  const field = name(issue.path);
  if (issue.kind === 'value' && value === undefined && issue.path.length > 0 && isRecord(valueAt(source.data, parentPath))) {
    const missing = String(issue.path[issue.path.length - 1]);
    return { file: source.file, line, column, field: name(parentPath), message: `missing required field '${missing}'` };
  }
  return { file: source.file, line, column, field, message: completeMessage(issue, value) };
}

function completeMessage(issue: FlatIssue, value: unknown): string {
  if (issue.kind === 'complete') return issue.message;
  if (issue.kind === 'key') return `${issue.message}, got ${JSON.stringify(String(issue.path[issue.path.length - 1]))}`;
  const options = (issue.options ?? []).filter((option): option is string => typeof option === 'string');
  const hint = typeof value === 'string' ? didYouMean(value, options) : '';
  return `${issue.message}, got ${describeValue(value)}${hint}`;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const segment of path) {
    if (Array.isArray(value) && typeof segment === 'number') value = value[segment];
    else if (isRecord(value)) value = value[String(segment)];
    else return undefined;
  }
  return value;
}

const MAX_SHOWN = 60;

export function describeValue(value: unknown): string {
  if (value === undefined || value === null) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value !== 'string') return String(value);
  const shown = JSON.stringify(value);
  return shown.length > MAX_SHOWN ? `${shown.slice(0, MAX_SHOWN - 2)}…"` : shown;
}

/** ["functions", "hello", "events", 0, "http"] → "functions.hello.events[0].http". */
export function formatField(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, segment) => {
    if (typeof segment === 'number') return `${text}[${segment}]`;
    return text === '' ? String(segment) : `${text}.${String(segment)}`;
  }, '');
}

function dedupe(problems: ManifestProblem[]): ManifestProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.line}:${problem.column}:${problem.field}:${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Sorted by position, one line per problem: `flint.yaml:12:5: functions.hello.memory: expected ...`. */
export function formatProblems(problems: readonly ManifestProblem[], cwd: string = process.cwd()): string {
  return sortProblems(problems)
    .map((p) => `${displayPath(p.file, cwd)}:${p.line}:${p.column}: ${p.field === '' ? '' : `${p.field}: `}${p.message}`)
    .join('\n');
}

export function sortProblems(problems: readonly ManifestProblem[]): ManifestProblem[] {
  return [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Relative to the working directory when that is shorter, as compilers print paths. */
export function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel !== '' && rel.length < file.length ? rel : file;
}
