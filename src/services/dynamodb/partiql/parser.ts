import type { Path } from '../expressions/bind.js';
import type { Comparator } from '../expressions/syntax.js';
import { validation } from '../errors.js';
import type { Expr, Order, Parsed, Position, Returning, Statement, Target, UpdateStep } from './ast.js';
import { malformed } from './errors.js';
import { tokenize, type Token } from './tokens.js';

/**
 * A recursive-descent parser for the PartiQL subset DynamoDB serves: SELECT, INSERT, UPDATE and DELETE on one
 * table, with its WHERE conditions, paths, literals and `?` parameters.
 */

const COMPARATORS: Record<string, Comparator> = { '=': '=', '<>': '<>', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };
const RETURNING: Record<string, Returning> = { 'ALL OLD': 'ALL_OLD', 'MODIFIED OLD': 'UPDATED_OLD', 'ALL NEW': 'ALL_NEW', 'MODIFIED NEW': 'UPDATED_NEW' };

export function parseStatement(source: string): Parsed {
  const parser = new Parser(tokenize(source), source);
  const statement = parser.statement();
  return { statement, parameters: parser.parameters };
}

class Parser {
  private at = 0;
  parameters = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
  ) {}

  statement(): Statement {
    const word = this.peek().kind === 'word' ? this.peek().text.toUpperCase() : '';
    let statement: Statement;
    if (word === 'SELECT') statement = this.select();
    else if (word === 'INSERT') statement = this.insert();
    else if (word === 'UPDATE') statement = this.update();
    else if (word === 'DELETE') statement = this.delete();
    // A statement must open with a DML keyword; DynamoDB says so in these words (a user's report of real DynamoDB:
    // https://github.com/awsdocs/aws-sdk-for-javascript-v3/issues/98).
    else throw malformed('Expected data manipulation');
    this.acceptPunct(';');
    if (this.peek().kind !== 'end') throw this.unexpected();
    return statement;
  }

  private select(): Statement {
    this.keyword('SELECT');
    let projection: Path[] | undefined;
    if (!this.acceptPunct('*')) {
      projection = [this.projected()];
      while (this.acceptPunct(',')) projection.push(this.projected());
    }
    this.keyword('FROM');
    const target = this.target(true);
    const where = this.acceptKeyword('WHERE') ? this.expression() : undefined;
    return { kind: 'select', target, projection, where, order: this.orderBy() };
  }

  private orderBy(): Order | undefined {
    if (!this.acceptKeyword('ORDER')) return undefined;
    this.keyword('BY');
    const path = this.path();
    const descending = this.acceptKeyword('DESC');
    if (!descending) this.acceptKeyword('ASC');
    return { path, descending };
  }

  /** A projected path; a function call is not one. */
  private projected(): Path {
    if (this.tokens[this.at + 1]?.text === '(') throw validation(`Unexpected path component at ${this.position(this.peek())}`);
    return this.path();
  }

  /** `line:column:length` of a token. */
  private position(token: Token): Position {
    const before = this.source.slice(0, token.at);
    const line = before.split('\n').length;
    const column = token.at - before.lastIndexOf('\n');
    const length = token.kind === 'string' || token.kind === 'name' ? token.text.length + 2 : token.text.length;
    return `${line}:${column}:${length}`;
  }

  private insert(): Statement {
    this.keyword('INSERT');
    this.keyword('INTO');
    const target = this.target(false);
    this.keyword('VALUE');
    return { kind: 'insert', target, value: this.primary() };
  }

  private update(): Statement {
    this.keyword('UPDATE');
    const target = this.target(false);
    const steps: UpdateStep[] = [];
    for (;;) {
      if (this.acceptKeyword('SET')) {
        do {
          const path = this.path();
          this.punct('=');
          steps.push({ kind: 'set', path, value: this.additive() });
        } while (this.acceptPunct(','));
      } else if (this.acceptKeyword('REMOVE')) {
        do steps.push({ kind: 'remove', path: this.path() });
        while (this.acceptPunct(','));
      } else break;
    }
    if (steps.length === 0) throw this.unexpected();
    const where = this.acceptKeyword('WHERE') ? this.expression() : undefined;
    return { kind: 'update', target, steps, where, returning: this.returning() };
  }

  private delete(): Statement {
    this.keyword('DELETE');
    this.keyword('FROM');
    const target = this.target(false);
    const where = this.acceptKeyword('WHERE') ? this.expression() : undefined;
    return { kind: 'delete', target, where, returning: this.returning() };
  }

  private returning(): Returning | undefined {
    if (!this.acceptKeyword('RETURNING')) return undefined;
    const which = this.word().toUpperCase();
    const age = this.word().toUpperCase();
    this.punct('*');
    const returning = RETURNING[`${which} ${age}`];
    if (!returning) throw malformed(`Unsupported RETURNING clause: ${which} ${age}`);
    return returning;
  }

  /** `"table"`, `table`, and for SELECT `"table"."index"`. */
  private target(indexAllowed: boolean): Target {
    const table = this.identifier();
    if (!this.acceptPunct('.')) return { table };
    if (!indexAllowed) throw this.unexpected();
    return { table, index: this.identifier() };
  }

  // Conditions, loosest binding first: OR, AND, NOT, then comparisons.

  private expression(): Expr {
    let left = this.conjunction();
    while (this.acceptKeyword('OR')) left = { kind: 'or', left, right: this.conjunction() };
    return left;
  }

  private conjunction(): Expr {
    let left = this.negation();
    while (this.acceptKeyword('AND')) left = { kind: 'and', left, right: this.negation() };
    return left;
  }

  private negation(): Expr {
    if (this.acceptKeyword('NOT')) return { kind: 'not', operand: this.negation() };
    return this.comparison();
  }

  private comparison(): Expr {
    const subject = this.additive();
    const token = this.peek();
    if (token.kind === 'punct' && COMPARATORS[token.text]) {
      this.at++;
      return { kind: 'compare', op: COMPARATORS[token.text]!, left: subject, right: this.additive() };
    }
    const negated = this.acceptKeyword('NOT');
    if (this.acceptKeyword('BETWEEN')) {
      const low = this.additive();
      this.keyword('AND');
      return this.negate({ kind: 'between', subject, low, high: this.additive() }, negated);
    }
    if (this.acceptKeyword('IN')) return this.negate({ kind: 'in', subject, options: this.inList() }, negated);
    if (negated) throw this.unexpected();
    if (this.acceptKeyword('IS')) return this.isTest(subject);
    return subject;
  }

  private negate(expr: Expr, negated: boolean): Expr {
    return negated ? { kind: 'not', operand: expr } : expr;
  }

  /** `IS [NOT] MISSING`, `IS [NOT] NULL` and the type tests DynamoDB knows. */
  private isTest(subject: Expr): Expr {
    const negated = this.acceptKeyword('NOT');
    const what = this.word().toUpperCase();
    if (what === 'MISSING') {
      if (subject.kind !== 'path') throw malformed('IS MISSING applies to an attribute path');
      return { kind: 'missing', path: subject.path, negated };
    }
    const types: Record<string, string> = { NULL: 'NULL', STRING: 'S', NUMBER: 'N', BOOLEAN: 'BOOL', LIST: 'L', MAP: 'M', BINARY: 'B' };
    const type = types[what];
    if (!type) throw malformed(`Unexpected keyword: ${what}`);
    const at = this.position(this.tokens[this.at - 1]!);
    return this.negate({ kind: 'call', name: 'attribute_type', args: [subject, { kind: 'string', value: type }], at, argsAt: [at, at] }, negated);
  }

  private inList(): Expr[] {
    const open = this.peek().text;
    if (open !== '[' && open !== '(') throw this.unexpected();
    this.at++;
    const close = open === '[' ? ']' : ')';
    const options = [this.additive()];
    while (this.acceptPunct(',')) options.push(this.additive());
    this.punct(close);
    return options;
  }

  private additive(): Expr {
    let left = this.primary();
    for (;;) {
      const op = this.peek().text;
      if (this.peek().kind !== 'punct' || (op !== '+' && op !== '-')) return left;
      this.at++;
      left = { kind: 'arithmetic', op, left, right: this.primary() };
    }
  }

  private primary(): Expr {
    const token = this.peek();
    switch (token.kind) {
      case 'string':
        this.at++;
        return { kind: 'string', value: token.text };
      case 'number':
        this.at++;
        return { kind: 'number', text: token.text };
      case 'param':
        this.at++;
        return { kind: 'param', index: this.parameters++ };
      case 'name':
        return { kind: 'path', path: this.path() };
      case 'word':
        return this.wordPrimary(token);
      case 'punct':
        return this.punctPrimary(token);
      default:
        throw this.unexpected();
    }
  }

  private wordPrimary(token: Token): Expr {
    const upper = token.text.toUpperCase();
    if (upper === 'TRUE' || upper === 'FALSE') {
      this.at++;
      return { kind: 'boolean', value: upper === 'TRUE' };
    }
    if (upper === 'NULL') {
      this.at++;
      return { kind: 'null' };
    }
    if (this.tokens[this.at + 1]?.text === '(') {
      const at = this.position(token);
      this.at += 2;
      const args: Expr[] = [];
      const argsAt: Position[] = [];
      if (!this.acceptPunct(')')) {
        do {
          argsAt.push(this.position(this.peek()));
          args.push(this.additive());
        } while (this.acceptPunct(','));
        this.punct(')');
      }
      return { kind: 'call', name: token.text.toLowerCase(), args, at, argsAt };
    }
    return { kind: 'path', path: this.path() };
  }

  private punctPrimary(token: Token): Expr {
    if (token.text === '(') {
      this.at++;
      const inner = this.expression();
      this.punct(')');
      return inner;
    }
    if (token.text === '-' && this.tokens[this.at + 1]?.kind === 'number') {
      this.at += 2;
      return { kind: 'number', text: `-${this.tokens[this.at - 1]!.text}` };
    }
    if (token.text === '{') return this.mapLiteral();
    if (token.text === '[') return { kind: 'list', items: this.sequence('[', ']') };
    if (token.text === '<<') return { kind: 'bag', items: this.sequence('<<', '>>') };
    throw this.unexpected();
  }

  private mapLiteral(): Expr {
    this.punct('{');
    const entries: [string, Expr][] = [];
    if (!this.acceptPunct('}')) {
      do {
        const key = this.next();
        if (key.kind !== 'string') throw malformed(`Unexpected token: ${key.text}; map keys are 'string' literals`);
        this.punct(':');
        entries.push([key.text, this.additive()]);
      } while (this.acceptPunct(','));
      this.punct('}');
    }
    return { kind: 'map', entries };
  }

  private sequence(open: string, close: string): Expr[] {
    this.punct(open);
    const items: Expr[] = [];
    if (this.acceptPunct(close)) return items;
    do items.push(this.additive());
    while (this.acceptPunct(','));
    this.punct(close);
    return items;
  }

  /** A document path: a name, then `.name`, `[index]` or `['name']` steps. */
  private path(): Path {
    const path: Path = [this.identifier()];
    for (;;) {
      if (this.peek().text === '.' && this.peek().kind === 'punct') {
        this.at++;
        path.push(this.identifier());
      } else if (this.peek().text === '[' && this.peek().kind === 'punct') {
        this.at++;
        const step = this.next();
        if (step.kind === 'number' && /^[0-9]+$/.test(step.text)) path.push(Number(step.text));
        else if (step.kind === 'string') path.push(step.text);
        else throw malformed(`Unexpected path component: ${step.text}`);
        this.punct(']');
      } else return path;
    }
  }

  private identifier(): string {
    const token = this.next();
    if (token.kind === 'name' || token.kind === 'word') return token.text;
    throw malformed(token.kind === 'end' ? 'Unexpected end of statement' : `Unexpected token: ${token.text}`);
  }

  private word(): string {
    const token = this.next();
    if (token.kind !== 'word') throw malformed(token.kind === 'end' ? 'Unexpected end of statement' : `Unexpected token: ${token.text}`);
    return token.text;
  }

  private keyword(word: string): void {
    if (!this.acceptKeyword(word)) throw this.unexpected(word);
  }

  private acceptKeyword(word: string): boolean {
    const token = this.peek();
    if (token.kind !== 'word' || token.text.toUpperCase() !== word) return false;
    this.at++;
    return true;
  }

  private punct(text: string): void {
    if (!this.acceptPunct(text)) throw this.unexpected(text);
  }

  private acceptPunct(text: string): boolean {
    const token = this.peek();
    if (token.kind !== 'punct' || token.text !== text) return false;
    this.at++;
    return true;
  }

  private peek(): Token {
    return this.tokens[this.at]!;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.at++;
    return token;
  }

  private unexpected(expected?: string) {
    const token = this.peek();
    if (token.kind === 'end') return malformed(expected ? `Unexpected end of statement, expected ${expected}` : 'Unexpected end of statement');
    const what = token.kind === 'word' ? `keyword or identifier: ${token.text}` : `token: ${token.text}`;
    return malformed(`Unexpected ${what}${expected ? `, expected ${expected}` : ''}`);
  }
}
