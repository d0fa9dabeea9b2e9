import { matchesAlternative, indexLeaves } from './match.js';
import { compileExpression, exactTest } from './operators.js';
import { isJsonObject, PatternError, type Condition, type FieldRule, type JsonObject, type JsonValue } from './types.js';

/**
 * EventBridge's event pattern language, as Lambda's event filtering shares it
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html): a JSON object
 * whose leaves are lists of values and match expressions. Compiled once into the `$or`-expanded alternatives, each
 * a set of fields that must all match; field names are joined with dots, as Event Ruler joins them, so
 * `{"state.status": [...]}` and `{"state": {"status": [...]}}` name the same field.
 */
export interface EventPattern {
  /** Whether an event (a parsed JSON object) matches. */
  matches(event: unknown): boolean;
}

const OPERATORS = new Set(['exists', 'prefix', 'suffix', 'equals-ignore-case', 'wildcard', 'cidr', 'numeric', 'anything-but']);
/** `$or` multiplies the alternatives; past this many a pattern is refused rather than allowed to exhaust memory. */
const MAX_ALTERNATIVES = 1000;

/** Parses and validates a pattern; throws PatternError with Event Ruler's reason when it is not valid. */
export function compileEventPattern(text: string): EventPattern {
  const pattern = parsePattern(text);
  if (!isJsonObject(pattern)) throw new PatternError('Filter is not an object');
  const alternatives = Object.keys(pattern).length === 0 ? [[]] : compileObject(pattern, '', [[]]);
  return {
    matches: (event) => {
      if (!isJsonObject(event as JsonValue)) return false;
      const leaves = indexLeaves(event as JsonObject);
      return alternatives.some((rules) => matchesAlternative(rules, leaves));
    },
  };
}

function compileObject(node: JsonObject, prefix: string, alternatives: FieldRule[][]): FieldRule[][] {
  let current = alternatives;
  for (const [key, value] of Object.entries(node)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (key === '$or' && isOrList(value)) {
      const before = current;
      current = value.flatMap((branch) => compileBranch(branch, prefix, before));
      if (current.length > MAX_ALTERNATIVES) throw new PatternError('Rule is too complex - too many $or combinations');
    } else if (Array.isArray(value)) {
      const rule: FieldRule = { path, conditions: compileList(value) };
      current = current.map((rules) => [...rules, rule]);
    } else if (isJsonObject(value)) {
      current = compileBranch(value, path, current);
    } else {
      throw new PatternError(`"${key}" must be an object or an array`);
    }
  }
  return current;
}

function compileBranch(node: JsonObject, prefix: string, alternatives: FieldRule[][]): FieldRule[][] {
  if (Object.keys(node).length === 0) throw new PatternError('Empty objects are not allowed');
  return compileObject(node, prefix, alternatives);
}

/** `"$or"` is the operator when it holds two or more objects of fields; otherwise it is a field of that name. */
function isOrList(value: JsonValue): value is JsonObject[] {
  return Array.isArray(value) && value.length >= 2 && value.every((item) => isJsonObject(item) && Object.keys(item).every((key) => !OPERATORS.has(key)));
}

function compileList(items: JsonValue[]): Condition[] {
  if (items.length === 0) throw new PatternError('Empty arrays are not allowed');
  return items.map((item) => {
    if (isJsonObject(item)) return compileExpression(item);
    if (Array.isArray(item)) throw new PatternError('Match value must be String, number, true, false, or null');
    return exactTest(item);
  });
}

/** JSON.parse, with the first words of the reason Jackson gives EventBridge for the common syntax errors. */
function parsePattern(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    throw new PatternError(syntaxReason(text, error));
  }
}

function syntaxReason(text: string, error: unknown): string {
  const at = offendingIndex(text, String(error));
  const char = at === undefined ? undefined : text[at];
  if (at === undefined || char === undefined) return 'Unexpected end-of-input: expected close marker for Object';
  const word = /^[A-Za-z_][\w-]*/.exec(text.slice(at))?.[0];
  if (word) return `Unrecognized token '${word}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')`;
  const expectingName = /[{,]\s*$/.test(text.slice(0, at));
  return `Unexpected character ('${char}' (code ${char.codePointAt(0) ?? 0}))${expectingName ? ': was expecting double-quote to start field name' : ''}`;
}

/**
 * Where the parse went wrong: V8 gives a position for some errors and only the character for others, so the first
 * occurrence of that character outside string literals (a bare word other than true, false and null for a letter).
 */
function offendingIndex(text: string, message: string): number | undefined {
  const position = /position (\d+)/.exec(message)?.[1];
  if (position !== undefined) return Number(position);
  const token = /Unexpected token '(.)'/.exec(message)?.[1];
  if (token === undefined) return undefined;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
    } else if (/[A-Za-z_]/.test(token) && /[A-Za-z_]/.test(char)) {
      const word = /^[A-Za-z_][\w-]*/.exec(text.slice(i))![0];
      if (word !== 'true' && word !== 'false' && word !== 'null') return i;
      i += word.length - 1;
    } else if (char === token) {
      return i;
    }
  }
  return undefined;
}
