import type { Comparator } from '../expressions/syntax.js';
import type { Path } from '../expressions/bind.js';

/** The typed tree of one PartiQL statement, before its `?` parameters are bound. */

export type Expr =
  | { kind: 'path'; path: Path }
  | { kind: 'string'; value: string }
  | { kind: 'number'; text: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'param'; index: number }
  | { kind: 'map'; entries: [string, Expr][] }
  | { kind: 'list'; items: Expr[] }
  | { kind: 'bag'; items: Expr[] }
  | { kind: 'compare'; op: Comparator; left: Expr; right: Expr }
  | { kind: 'between'; subject: Expr; low: Expr; high: Expr }
  | { kind: 'in'; subject: Expr; options: Expr[] }
  | { kind: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'not'; operand: Expr }
  | { kind: 'missing'; path: Path; negated: boolean }
  | { kind: 'call'; name: string; args: Expr[]; at: Position; argsAt: Position[] }
  | { kind: 'arithmetic'; op: '+' | '-'; left: Expr; right: Expr };

/** Where a token stands in the statement, as DynamoDB's messages give it: `line:column:length`, from 1. */
export type Position = string;

/** RETURNING's four forms, as the ReturnValues they stand for. */
export type Returning = 'ALL_OLD' | 'UPDATED_OLD' | 'ALL_NEW' | 'UPDATED_NEW';

export type UpdateStep = { kind: 'set'; path: Path; value: Expr } | { kind: 'remove'; path: Path };

/** ORDER BY: which attribute, and whether from the largest. */
export interface Order {
  path: Path;
  descending: boolean;
}

export interface Target {
  table: string;
  index?: string;
}

export type Statement =
  | { kind: 'select'; target: Target; projection?: Path[]; where?: Expr; order?: Order }
  | { kind: 'insert'; target: Target; value: Expr }
  | { kind: 'update'; target: Target; steps: UpdateStep[]; where?: Expr; returning?: Returning }
  | { kind: 'delete'; target: Target; where?: Expr; returning?: Returning };

/** How many `?` a statement holds (parameters are numbered in order of appearance). */
export interface Parsed {
  statement: Statement;
  parameters: number;
}
