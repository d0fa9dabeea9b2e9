import { isReservedWord } from './reserved-words.js';
import {
  Issues,
  type CallNode,
  type Comparator,
  type ConditionNode,
  type OperandNode,
  type PathNode,
  type SetValueNode,
  type UpdateActionNode,
  type ValueNode,
} from './syntax.js';
import { TokenStream, type Token } from './tokens.js';

/**
 * Recursive-descent parsers for DynamoDB's four expression languages. Each returns its tree and the problems
 * DynamoDB finds without looking at the request's names and values (reserved words, unknown functions,
 * redundant parentheses...), which are cached along with the tree.
 */

export interface ParsedCondition {
  root: ConditionNode;
  issues: Issues;
}

export interface ParsedUpdate {
  actions: UpdateActionNode[];
  issues: Issues;
}

export interface ParsedProjection {
  paths: PathNode[];
  issues: Issues;
}

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'BETWEEN', 'IN']);
const SECTIONS = new Set(['SET', 'REMOVE', 'ADD', 'DELETE']);
const COMPARATORS = new Set(['=', '<>', '<', '<=', '>', '>=']);
const CONDITION_FUNCTIONS: Record<string, number> = {
  attribute_exists: 1,
  attribute_not_exists: 1,
  attribute_type: 2,
  begins_with: 2,
  contains: 2,
  size: 1,
};
const UPDATE_FUNCTIONS: Record<string, number> = { if_not_exists: 2, list_append: 2 };

export function parseCondition(source: string): ParsedCondition {
  const parser = new Parser(TokenStream.of(source), KEYWORDS);
  const root = parser.condition();
  parser.end();
  parser.checkCondition(root, true);
  return { root, issues: parser.issues };
}

export function parseUpdate(source: string): ParsedUpdate {
  const parser = new Parser(TokenStream.of(source), SECTIONS);
  const actions = parser.update();
  return { actions, issues: parser.issues };
}

export function parseProjection(source: string): ParsedProjection {
  const parser = new Parser(TokenStream.of(source), new Set());
  const paths = [parser.path()];
  while (parser.tokens.accept(',')) paths.push(parser.path());
  parser.end();
  return { paths, issues: parser.issues };
}

class Parser {
  readonly issues = new Issues();

  constructor(
    readonly tokens: TokenStream,
    private readonly keywords: ReadonlySet<string>,
  ) {}

  end(): void {
    if (this.tokens.peek().kind !== 'eof') throw this.tokens.error();
  }

  // ---- conditions: OR binds loosest, then AND, then NOT

  condition(): ConditionNode {
    let left = this.conjunction();
    while (this.tokens.atKeyword('OR')) {
      this.tokens.next();
      left = { kind: 'or', left, right: this.conjunction() };
    }
    return left;
  }

  private conjunction(): ConditionNode {
    let left = this.negation();
    while (this.tokens.atKeyword('AND')) {
      this.tokens.next();
      left = { kind: 'and', left, right: this.negation() };
    }
    return left;
  }

  private negation(): ConditionNode {
    if (this.tokens.atKeyword('NOT')) {
      this.tokens.next();
      return { kind: 'not', operand: this.negation() };
    }
    return this.primary();
  }

  private primary(): ConditionNode {
    if (this.tokens.at('(')) {
      const close = this.tokens.closingParen();
      // "(a) = :v" is a parenthesised operand; anything else in parentheses is a parenthesised condition.
      if (close < 0 || !startsComparison(this.tokens.peek(close + 1))) {
        this.noteRedundantParens(close);
        this.tokens.next();
        const inner = this.condition();
        this.tokens.expect(')');
        return inner;
      }
    }
    const left = this.operand();
    const token = this.tokens.peek();
    if (token.kind === 'punct' && COMPARATORS.has(token.text)) {
      this.tokens.next();
      return { kind: 'compare', op: token.text as Comparator, left, right: this.operand() };
    }
    if (this.tokens.atKeyword('BETWEEN')) {
      this.tokens.next();
      const low = this.operand();
      if (!this.tokens.atKeyword('AND')) throw this.tokens.error();
      this.tokens.next();
      return { kind: 'between', subject: left, low, high: this.operand() };
    }
    if (this.tokens.atKeyword('IN')) {
      this.tokens.next();
      this.tokens.expect('(');
      const options = [this.operand()];
      while (this.tokens.accept(',')) options.push(this.operand());
      this.tokens.expect(')');
      return { kind: 'in', subject: left, options };
    }
    if (left.kind === 'call') return { kind: 'function', call: left };
    throw this.tokens.error();
  }

  /** "((x))": the group right inside these parentheses spans all of it. */
  private noteRedundantParens(close: number): void {
    if (close > 1 && this.tokens.peek(1).kind === 'punct' && this.tokens.peek(1).text === '(' && this.tokens.closingParen(1) === close - 1) {
      this.issues.add('parens', 'The expression has redundant parentheses;');
    }
  }

  // ---- operands: paths, :values and function calls, optionally in parentheses

  operand(): OperandNode {
    if (this.tokens.at('(')) {
      this.noteRedundantParens(this.tokens.closingParen());
      this.tokens.next();
      const inner = this.operand();
      this.tokens.expect(')');
      return inner;
    }
    const token = this.tokens.peek();
    if (token.kind === 'value') return this.value();
    if (token.kind === 'name' && this.tokens.peek(1).text === '(' && this.tokens.peek(1).kind === 'punct' && !this.isKeyword(token)) {
      return this.call();
    }
    return this.path();
  }

  private value(): ValueNode {
    const token = this.tokens.peek();
    if (token.kind !== 'value') throw this.tokens.error();
    this.tokens.next();
    return { kind: 'value', ref: token.text };
  }

  private call(): CallNode {
    const name = this.tokens.next().text;
    this.tokens.expect('(');
    const args = [this.operand()];
    while (this.tokens.accept(',')) args.push(this.operand());
    this.tokens.expect(')');
    return { kind: 'call', name, args };
  }

  path(): PathNode {
    const parts: PathNode['parts'] = [this.pathName()];
    for (;;) {
      if (this.tokens.accept('.')) {
        parts.push(this.pathName());
      } else if (this.tokens.at('[')) {
        this.tokens.next();
        const index = this.tokens.peek();
        if (index.kind !== 'int') throw this.tokens.error();
        this.tokens.next();
        this.tokens.expect(']');
        parts.push({ index: Number(index.text) });
      } else {
        return { kind: 'path', parts };
      }
    }
  }

  private pathName(): { name: string } | { ref: string } {
    const token = this.tokens.peek();
    if (token.kind === 'ref') {
      this.tokens.next();
      return { ref: token.text };
    }
    if (token.kind !== 'name' || this.isKeyword(token)) throw this.tokens.error();
    this.tokens.next();
    if (isReservedWord(token.text)) this.issues.add('reserved', `Attribute name is a reserved keyword; reserved keyword: ${token.text}`);
    return { name: token.text };
  }

  private isKeyword(token: Token): boolean {
    return token.kind === 'name' && this.keywords.has(token.text.toUpperCase());
  }

  // ---- update expressions: SET, REMOVE, ADD and DELETE sections, each at most once

  update(): UpdateActionNode[] {
    const actions: UpdateActionNode[] = [];
    const seen = new Set<string>();
    do {
      const keyword = this.tokens.peek();
      const section = keyword.text.toUpperCase();
      if (keyword.kind !== 'name' || !SECTIONS.has(section)) throw this.tokens.error();
      this.tokens.next();
      if (seen.has(section)) this.issues.add('section', `The "${section}" section can only be used once in an update expression;`);
      seen.add(section);
      do actions.push(this.action(section));
      while (this.tokens.accept(','));
    } while (this.tokens.peek().kind !== 'eof');
    for (const action of actions) this.checkUpdateAction(action);
    return actions;
  }

  private action(section: string): UpdateActionNode {
    const path = this.path();
    if (section === 'REMOVE') return { kind: 'REMOVE', path };
    if (section === 'SET') {
      this.tokens.expect('=');
      return { kind: 'SET', path, value: this.setValue() };
    }
    return { kind: section === 'ADD' ? 'ADD' : 'DELETE', path, value: this.value() };
  }

  private setValue(): SetValueNode {
    if (this.tokens.at('(')) {
      this.tokens.next();
      const inner = this.setValue();
      this.tokens.expect(')');
      if (inner.kind === 'arithmetic') return inner;
      return this.arithmeticTail(inner);
    }
    return this.arithmeticTail(this.operand());
  }

  private arithmeticTail(left: OperandNode): SetValueNode {
    if (!this.tokens.at('+') && !this.tokens.at('-')) return left;
    const op = this.tokens.next().text as '+' | '-';
    return { kind: 'arithmetic', op, left, right: this.operand() };
  }

  // ---- checks that need no request values

  /** `asCondition`: the node stands where a condition is expected (not as an operand). */
  checkCondition(node: ConditionNode, asCondition: boolean): void {
    switch (node.kind) {
      case 'and':
      case 'or':
        this.checkCondition(node.left, true);
        this.checkCondition(node.right, true);
        return;
      case 'not':
        this.checkCondition(node.operand, true);
        return;
      case 'function':
        this.checkCall(node.call, CONDITION_FUNCTIONS);
        if (asCondition && node.call.name === 'size') this.misused('size');
        return;
      case 'compare':
        return this.checkOperands([node.left, node.right]);
      case 'between':
        return this.checkOperands([node.subject, node.low, node.high]);
      case 'in':
        return this.checkOperands([node.subject, ...node.options]);
    }
  }

  private checkOperands(operands: OperandNode[]): void {
    for (const operand of operands) {
      if (operand.kind !== 'call') continue;
      this.checkCall(operand, CONDITION_FUNCTIONS);
      if (operand.name !== 'size') this.misused(operand.name);
    }
  }

  private misused(name: string): void {
    this.issues.add('misusedFunction', `The function is not allowed to be used this way in an expression; function: ${name}`);
  }

  private checkCall(call: CallNode, functions: Record<string, number>): void {
    const arity = functions[call.name];
    if (arity === undefined) {
      this.issues.add('unknownFunction', `Invalid function name; function: ${call.name}`);
      return;
    }
    for (const arg of call.args) {
      if (arg.kind !== 'call') continue;
      this.checkCall(arg, functions);
      if (functions === CONDITION_FUNCTIONS && arg.name !== 'size') this.misused(arg.name);
    }
    if (call.args.length !== arity) {
      this.issues.add('operandCount', `Incorrect number of operands for operator or function; operator or function: ${call.name}, number of operands: ${call.args.length}`);
      return;
    }
    const needsPath = call.name === 'attribute_exists' || call.name === 'attribute_not_exists' || call.name === 'if_not_exists';
    if (needsPath && call.args[0]!.kind !== 'path') {
      this.issues.add('function', `Operator or function requires a document path; operator or function: ${call.name}`);
    }
  }

  private checkUpdateAction(action: UpdateActionNode): void {
    if (action.kind !== 'SET') return;
    const value = action.value;
    const operands = value.kind === 'arithmetic' ? [value.left, value.right] : [value];
    for (const operand of operands) if (operand.kind === 'call') this.checkCall(operand, UPDATE_FUNCTIONS);
  }
}

function startsComparison(token: Token): boolean {
  if (token.kind === 'punct') return COMPARATORS.has(token.text);
  return token.kind === 'name' && (token.text.toUpperCase() === 'BETWEEN' || token.text.toUpperCase() === 'IN');
}
