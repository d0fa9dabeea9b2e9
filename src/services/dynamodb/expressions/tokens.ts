import { ExpressionError } from './syntax.js';

/**
 * The lexer shared by every expression kind, and the token cursor the recursive-descent parsers walk. Syntax
 * errors read as DynamoDB's: the offending token and the source from the token before it to the token after it.
 */

export type TokenKind = 'name' | 'ref' | 'value' | 'int' | 'punct' | 'other' | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

const PUNCTUATION = ['<>', '<=', '>=', '(', ')', '[', ']', ',', '.', '=', '<', '>', '+', '-'];

function isNameStart(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

function isNamePart(code: number): boolean {
  return isNameStart(code) || (code >= 48 && code <= 57);
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const code = source.charCodeAt(i);
    if (isSpace(code)) {
      i++;
      continue;
    }
    const start = i;
    let kind: TokenKind;
    if (isNameStart(code)) {
      while (i < source.length && isNamePart(source.charCodeAt(i))) i++;
      kind = 'name';
    } else if (code >= 48 && code <= 57) {
      while (i < source.length && source.charCodeAt(i) >= 48 && source.charCodeAt(i) <= 57) i++;
      kind = 'int';
    } else if ((code === 35 || code === 58) && i + 1 < source.length && isNamePart(source.charCodeAt(i + 1))) {
      i++;
      while (i < source.length && isNamePart(source.charCodeAt(i))) i++;
      kind = code === 35 ? 'ref' : 'value';
    } else {
      const punct = PUNCTUATION.find((p) => source.startsWith(p, i));
      i += punct ? punct.length : 1;
      kind = punct ? 'punct' : 'other';
    }
    tokens.push({ kind, text: source.slice(start, i), start, end: i });
  }
  tokens.push({ kind: 'eof', text: '<EOF>', start: source.length, end: source.length });
  return tokens;
}

/** A position in a token list with the helpers every parser needs. */
export class TokenStream {
  private position = 0;

  constructor(
    readonly source: string,
    private readonly tokens: Token[],
  ) {}

  static of(source: string): TokenStream {
    return new TokenStream(source, tokenize(source));
  }

  get index(): number {
    return this.position;
  }

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.position + offset, this.tokens.length - 1)]!;
  }

  next(): Token {
    const token = this.peek();
    if (this.position < this.tokens.length - 1) this.position++;
    return token;
  }

  /** True when the next token is this punctuation mark. */
  at(punct: string): boolean {
    const token = this.peek();
    return token.kind === 'punct' && token.text === punct;
  }

  /** True when the next token is this keyword (any case). */
  atKeyword(keyword: string): boolean {
    const token = this.peek();
    return token.kind === 'name' && token.text.toUpperCase() === keyword;
  }

  accept(punct: string): boolean {
    if (!this.at(punct)) return false;
    this.next();
    return true;
  }

  expect(punct: string): Token {
    if (!this.at(punct)) throw this.error();
    return this.next();
  }

  /** The index of the ')' that closes the '(' at `offset`, or -1. */
  closingParen(offset = 0): number {
    let depth = 0;
    for (let i = this.position + offset; i < this.tokens.length; i++) {
      const token = this.tokens[i]!;
      if (token.kind !== 'punct') continue;
      if (token.text === '(') depth++;
      else if (token.text === ')' && --depth === 0) return i - this.position;
    }
    return -1;
  }

  /** DynamoDB's syntax error at the next token (or `token`): `Syntax error; token: "x", near: "a x b"`. */
  error(token: Token = this.peek()): Error {
    const at = this.tokens.indexOf(token);
    const before = at > 0 ? this.tokens[at - 1]! : token;
    const after = this.tokens[at + 1];
    const end = after && after.kind !== 'eof' ? after.end : token.end;
    return new ExpressionError(`Syntax error; token: "${token.text}", near: "${this.source.slice(before.start, end)}"`);
  }
}
