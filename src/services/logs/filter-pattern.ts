/**
 * CloudWatch Logs filter patterns (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html),
 * compiled once per request into a predicate over an event's message.
 *
 * - Unstructured: space-separated terms that must all occur (case-sensitive), `"quoted phrases"`, `-term` to exclude,
 *   `?term` for "any of these", `%regex%`; an empty pattern matches everything.
 * - JSON: `{ $.a.b[0] = "x*" }` with `=`, `!=`, `<`, `<=`, `>`, `>=`, `IS TRUE|FALSE|NULL`, `NOT EXISTS`, `EXISTS`,
 *   `&&`, `||` (`&&` binds tighter) and parentheses; `*` is a wildcard in string values; a message that is not JSON
 *   does not match.
 * - Space-delimited: `[ip, user, ..., status = 404, ...]` names the fields of a message split at spaces (quoted and
 *   bracketed fields stay whole), `...` skips any number of fields, and conditions compare a field as in JSON patterns.
 */
export type LogMatcher = (message: string) => boolean;

export class FilterPatternError extends Error {}

export function compileFilterPattern(pattern: string | undefined): LogMatcher {
  const text = (pattern ?? '').trim();
  if (text === '') return () => true;
  if (text.startsWith('{')) return compileJson(text);
  if (text.startsWith('[')) return compileDelimited(text);
  return compileTerms(text);
}

// ---- unstructured terms -----------------------------------------------------------------------------------------

interface Term {
  kind: 'all' | 'any' | 'none';
  test: (message: string) => boolean;
}

function compileTerms(text: string): LogMatcher {
  const terms = splitTerms(text);
  const all = terms.filter((t) => t.kind === 'all');
  const any = terms.filter((t) => t.kind === 'any');
  const none = terms.filter((t) => t.kind === 'none');
  return (message) => all.every((t) => t.test(message)) && (any.length === 0 || any.some((t) => t.test(message))) && !none.some((t) => t.test(message));
}

function splitTerms(text: string): Term[] {
  const terms: Term[] = [];
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i]!)) {
      i++;
      continue;
    }
    let kind: Term['kind'] = 'all';
    if (text[i] === '?' || text[i] === '-') {
      kind = text[i] === '?' ? 'any' : 'none';
      i++;
    }
    const read = readWord(text, i);
    i = read.end;
    terms.push({ kind, test: read.test });
  }
  return terms;
}

function readWord(text: string, start: number): { end: number; test: (message: string) => boolean } {
  if (text[start] === '"') {
    const { value, end } = readQuoted(text, start);
    return { end, test: (m) => m.includes(value) };
  }
  if (text[start] === '%') {
    const close = text.indexOf('%', start + 1);
    if (close < 0) throw new FilterPatternError('a regular expression is not closed with %');
    const regex = safeRegex(text.slice(start + 1, close));
    return { end: close + 1, test: (m) => regex.test(m) };
  }
  let end = start;
  while (end < text.length && !/\s/.test(text[end]!)) end++;
  const word = text.slice(start, end);
  if (word === '') throw new FilterPatternError('a term is empty');
  return { end, test: (m) => m.includes(word) };
}

function readQuoted(text: string, start: number): { value: string; end: number } {
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) value += text[++i];
    else if (c === '"') return { value, end: i + 1 };
    else value += c;
  }
  throw new FilterPatternError('a quoted term is not closed');
}

function safeRegex(source: string): RegExp {
  try {
    return new RegExp(source);
  } catch {
    throw new FilterPatternError(`invalid regular expression ${source}`);
  }
}

// ---- comparisons shared by JSON and space-delimited patterns -----------------------------------------------------

type Operator = '=' | '!=' | '<' | '<=' | '>' | '>=';

interface Literal {
  text: string;
  /** The value read as a number, when it is one. */
  number?: number;
}

/** Whether `value` (a JSON value or a delimited field's text) satisfies `value op literal`. */
function compare(value: unknown, op: Operator, literal: Literal): boolean {
  if (value === undefined) return false;
  if (op !== '=' && op !== '!=') {
    const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    if (literal.number === undefined || Number.isNaN(n)) return false;
    return op === '<' ? n < literal.number : op === '<=' ? n <= literal.number : op === '>' ? n > literal.number : n >= literal.number;
  }
  const equal = typeof value === 'number' && literal.number !== undefined ? value === literal.number : globMatch(literal.text, scalarText(value));
  return op === '=' ? equal : !equal;
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function globMatch(pattern: string, text: string | undefined): boolean {
  if (text === undefined) return false;
  if (!pattern.includes('*')) return pattern === text;
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 's').test(text);
}

function literalOf(text: string, quoted: boolean): Literal {
  if (quoted) return { text };
  const number = text.trim() === '' ? NaN : Number(text);
  return Number.isNaN(number) ? { text } : { text, number };
}

// ---- JSON patterns ------------------------------------------------------------------------------------------------

type Node = { and: Node[] } | { or: Node[] } | { test: (document: unknown) => boolean };

function evaluate(node: Node, document: unknown): boolean {
  if ('and' in node) return node.and.every((n) => evaluate(n, document));
  if ('or' in node) return node.or.some((n) => evaluate(n, document));
  return node.test(document);
}

function compileJson(text: string): LogMatcher {
  if (!text.endsWith('}')) throw new FilterPatternError('a JSON pattern ends with }');
  const parser = new JsonPatternParser(tokenize(text.slice(1, -1)));
  const tree = parser.parse();
  return (message) => {
    let document: unknown;
    try {
      document = JSON.parse(message);
    } catch {
      return false;
    }
    return typeof document === 'object' && document !== null && evaluate(tree, document);
  };
}

interface Token {
  text: string;
  quoted: boolean;
}

const SYMBOLS = ['&&', '||', '!=', '<=', '>=', '=', '<', '>', '(', ')'];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i]!)) {
      i++;
      continue;
    }
    if (text[i] === '"') {
      const { value, end } = readQuoted(text, i);
      tokens.push({ text: value, quoted: true });
      i = end;
      continue;
    }
    const symbol = SYMBOLS.find((s) => text.startsWith(s, i));
    if (symbol) {
      tokens.push({ text: symbol, quoted: false });
      i += symbol.length;
      continue;
    }
    let end = i;
    while (end < text.length && !/\s/.test(text[end]!) && !SYMBOLS.some((s) => text.startsWith(s, end))) end++;
    tokens.push({ text: text.slice(i, end), quoted: false });
    i = end;
  }
  return tokens;
}

class JsonPatternParser {
  private at = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): Node {
    const node = this.or();
    if (this.at < this.tokens.length) throw new FilterPatternError(`unexpected ${this.tokens[this.at]!.text}`);
    return node;
  }

  private or(): Node {
    const parts = [this.and()];
    while (this.peek('||')) parts.push(this.and());
    return parts.length === 1 ? parts[0]! : { or: parts };
  }

  private and(): Node {
    const parts = [this.primary()];
    while (this.peek('&&')) parts.push(this.primary());
    return parts.length === 1 ? parts[0]! : { and: parts };
  }

  private primary(): Node {
    if (this.peek('(')) {
      const inner = this.or();
      if (!this.peek(')')) throw new FilterPatternError('a parenthesis is not closed');
      return inner;
    }
    const selector = this.next();
    if (selector.quoted || !selector.text.startsWith('$')) throw new FilterPatternError(`a JSON condition starts with a selector such as $.field, not ${selector.text}`);
    const path = parseSelector(selector.text);
    const op = this.next();
    if (!op.quoted && op.text.toUpperCase() === 'IS') {
      const what = this.next().text.toUpperCase();
      const expected = what === 'TRUE' ? true : what === 'FALSE' ? false : what === 'NULL' ? null : undefined;
      if (expected === undefined) throw new FilterPatternError(`IS takes TRUE, FALSE or NULL, not ${what}`);
      return { test: (doc) => select(doc, path) === expected };
    }
    if (!op.quoted && op.text.toUpperCase() === 'NOT') {
      if (this.next().text.toUpperCase() !== 'EXISTS') throw new FilterPatternError('NOT is followed by EXISTS');
      return { test: (doc) => select(doc, path) === undefined };
    }
    if (!op.quoted && op.text.toUpperCase() === 'EXISTS') return { test: (doc) => select(doc, path) !== undefined };
    if (op.quoted || !['=', '!=', '<', '<=', '>', '>='].includes(op.text)) throw new FilterPatternError(`unknown operator ${op.text}`);
    const value = this.next();
    const literal = literalOf(value.text, value.quoted);
    return { test: (doc) => compare(select(doc, path), op.text as Operator, literal) };
  }

  private peek(symbol: string): boolean {
    const token = this.tokens[this.at];
    if (token && !token.quoted && token.text === symbol) {
      this.at++;
      return true;
    }
    return false;
  }

  private next(): Token {
    const token = this.tokens[this.at++];
    if (!token) throw new FilterPatternError('the pattern ends too soon');
    return token;
  }
}

type PathStep = string | number;

function parseSelector(text: string): PathStep[] {
  const steps: PathStep[] = [];
  const pattern = /\.([^.[\]]+)|\[(\d+)\]/y;
  pattern.lastIndex = 1;
  while (pattern.lastIndex < text.length) {
    const match = pattern.exec(text);
    if (!match) throw new FilterPatternError(`invalid selector ${text}`);
    steps.push(match[1] ?? Number(match[2]));
  }
  return steps;
}

function select(document: unknown, path: PathStep[]): unknown {
  let current = document;
  for (const step of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = typeof step === 'number' ? (Array.isArray(current) ? current[step] : undefined) : Array.isArray(current) ? undefined : (current as Record<string, unknown>)[step];
  }
  return current;
}

// ---- space-delimited patterns -------------------------------------------------------------------------------------

interface Field {
  /** `...`: any number of fields. */
  rest: boolean;
  conditions: Array<{ op: Operator; literal: Literal }>;
}

function compileDelimited(text: string): LogMatcher {
  if (!text.endsWith(']')) throw new FilterPatternError('a space-delimited pattern ends with ]');
  const fields = text
    .slice(1, -1)
    .split(',')
    .map((part) => parseField(part.trim()));
  return (message) => matchFields(fields, splitMessage(message));
}

function parseField(text: string): Field {
  if (text === '...') return { rest: true, conditions: [] };
  const tokens = tokenize(text);
  if (tokens.length === 0) throw new FilterPatternError('a field is empty');
  const conditions: Field['conditions'] = [];
  let i = 1;
  while (i < tokens.length) {
    const op = tokens[i]!;
    const value = tokens[i + 1];
    if (!value || !['=', '!=', '<', '<=', '>', '>='].includes(op.text)) throw new FilterPatternError(`invalid condition in ${text}`);
    conditions.push({ op: op.text as Operator, literal: literalOf(value.text, value.quoted) });
    i += 2;
    if (i < tokens.length && tokens[i]!.text === '&&') i++;
  }
  return { rest: false, conditions };
}

/** A message's fields: runs of non-spaces, with "quoted" and [bracketed] runs kept whole (and unwrapped). */
function splitMessage(message: string): string[] {
  const fields: string[] = [];
  const pattern = /"([^"]*)"|\[([^\]]*)\]|(\S+)/g;
  for (const match of message.matchAll(pattern)) fields.push(match[1] ?? match[2] ?? match[3] ?? '');
  return fields;
}

function matchFields(fields: Field[], values: string[]): boolean {
  const restAt = fields.findIndex((f) => f.rest);
  if (restAt < 0) return fields.length === values.length && fields.every((f, i) => fieldMatches(f, values[i]));
  const before = fields.slice(0, restAt);
  const after = fields.slice(restAt + 1);
  if (values.length < before.length + after.length) return false;
  const tail = values.slice(values.length - after.length);
  return before.every((f, i) => fieldMatches(f, values[i])) && after.every((f, i) => fieldMatches(f, tail[i]));
}

function fieldMatches(field: Field, value: string | undefined): boolean {
  return field.conditions.every((c) => compare(value, c.op, c.literal));
}
