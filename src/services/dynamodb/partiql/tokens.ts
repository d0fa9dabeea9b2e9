import { malformed } from './errors.js';

/**
 * The lexer of DynamoDB's PartiQL: words (keywords and unquoted names), "quoted names", 'strings' (with '' for a
 * quote), numbers, `?` parameters and punctuation, including the bag brackets << and >>.
 */

export type TokenKind = 'word' | 'name' | 'string' | 'number' | 'param' | 'punct' | 'end';

export interface Token {
  kind: TokenKind;
  text: string;
  /** Where the token starts, for messages. */
  at: number;
}

const PUNCTUATION = ['<<', '>>', '<=', '>=', '<>', '!=', '||', '=', '<', '>', '(', ')', '[', ']', '{', '}', ',', '.', ':', '*', '+', '-', ';'];
const WORD_START = /[A-Za-z_$]/;
const WORD_PART = /[A-Za-z0-9_$]/;
const DIGIT = /[0-9]/;

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const char = source[at]!;
    if (/\s/.test(char)) {
      at++;
      continue;
    }
    if (source.startsWith('--', at)) {
      const end = source.indexOf('\n', at);
      at = end < 0 ? source.length : end;
      continue;
    }
    const token = readToken(source, at);
    tokens.push(token);
    at = token.at + tokenLength(source, token);
  }
  tokens.push({ kind: 'end', text: '', at: source.length });
  return tokens;
}

/** Where a token read at `token.at` ends (quoted tokens are longer than their text). */
function tokenLength(source: string, token: Token): number {
  if (token.kind === 'string' || token.kind === 'name') return quotedEnd(source, token.at) - token.at;
  return token.text.length;
}

function readToken(source: string, at: number): Token {
  const char = source[at]!;
  if (char === "'") return { kind: 'string', text: unquote(source, at, "'"), at };
  if (char === '"') return { kind: 'name', text: unquote(source, at, '"'), at };
  if (char === '?') return { kind: 'param', text: '?', at };
  if (DIGIT.test(char) || (char === '.' && DIGIT.test(source[at + 1] ?? ''))) return { kind: 'number', text: readNumber(source, at), at };
  if (WORD_START.test(char)) {
    let end = at + 1;
    while (end < source.length && WORD_PART.test(source[end]!)) end++;
    return { kind: 'word', text: source.slice(at, end), at };
  }
  const punct = PUNCTUATION.find((p) => source.startsWith(p, at));
  if (punct) return { kind: 'punct', text: punct, at };
  throw malformed(`Unexpected character: ${char}`);
}

function readNumber(source: string, at: number): string {
  const match = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(source.slice(at));
  return match![0];
}

/** The index just past a quoted token's closing quote; a doubled quote stands for one. */
function quotedEnd(source: string, at: number): number {
  const quote = source[at]!;
  let end = at + 1;
  for (;;) {
    const next = source.indexOf(quote, end);
    if (next < 0) throw malformed(quote === "'" ? 'Unterminated string literal' : 'Unterminated quoted identifier');
    if (source[next + 1] === quote) {
      end = next + 2;
      continue;
    }
    return next + 1;
  }
}

function unquote(source: string, at: number, quote: string): string {
  return source.slice(at + 1, quotedEnd(source, at) - 1).split(quote + quote).join(quote);
}
