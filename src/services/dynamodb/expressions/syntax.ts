/**
 * Expression syntax trees as parsed, before a request's ExpressionAttributeNames and ExpressionAttributeValues
 * are applied: #name and :value stay references, so one parse serves every request that sends the same text.
 */

/** One step of a document path: an attribute name, a #placeholder for one, or a list index. */
export type PathPart = { name: string } | { ref: string } | { index: number };

export interface PathNode {
  kind: 'path';
  parts: PathPart[];
}

export interface ValueNode {
  kind: 'value';
  ref: string;
}

export interface CallNode {
  kind: 'call';
  name: string;
  args: OperandNode[];
}

export type OperandNode = PathNode | ValueNode | CallNode;

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type ConditionNode =
  | { kind: 'compare'; op: Comparator; left: OperandNode; right: OperandNode }
  | { kind: 'between'; subject: OperandNode; low: OperandNode; high: OperandNode }
  | { kind: 'in'; subject: OperandNode; options: OperandNode[] }
  | { kind: 'function'; call: CallNode }
  | { kind: 'and' | 'or'; left: ConditionNode; right: ConditionNode }
  | { kind: 'not'; operand: ConditionNode };

export type SetValueNode = OperandNode | { kind: 'arithmetic'; op: '+' | '-'; left: OperandNode; right: OperandNode };

export type UpdateActionNode =
  | { kind: 'SET'; path: PathNode; value: SetValueNode }
  | { kind: 'REMOVE'; path: PathNode }
  | { kind: 'ADD' | 'DELETE'; path: PathNode; value: ValueNode };

/**
 * Problems DynamoDB reports after a successful parse, by category. When several are present DynamoDB reports the
 * first category in its own order, not the first problem in the text, so each category keeps its first message.
 */
export type IssueCategory =
  | 'parens'
  | 'unknownFunction'
  | 'misusedFunction'
  | 'section'
  | 'reserved'
  | 'undefinedName'
  | 'undefinedValue'
  | 'overlap'
  | 'conflict'
  | 'operandCount'
  | 'distinct'
  | 'operandType'
  | 'function';

export class Issues {
  private readonly found = new Map<IssueCategory, string>();

  add(category: IssueCategory, message: string): void {
    if (!this.found.has(category)) this.found.set(category, message);
  }

  /** The message of the first category, in `order`, that has one. */
  first(order: readonly IssueCategory[]): string | undefined {
    for (const category of order) {
      const message = this.found.get(category);
      if (message !== undefined) return message;
    }
    return undefined;
  }

  merge(other: Issues): void {
    for (const [category, message] of other.found) this.add(category, message);
  }
}

/**
 * A problem with one expression. `prefixed` problems read "Invalid <ExpressionName>: <message>"; the others (key
 * condition shape errors) stand alone, as DynamoDB words them.
 */
export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly prefixed = true,
  ) {
    super(message);
  }
}

/** A path as DynamoDB prints it in messages: [a, b, [2]]. */
export function showPath(path: readonly (string | number)[]): string {
  return `[${path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join(', ')}]`;
}
