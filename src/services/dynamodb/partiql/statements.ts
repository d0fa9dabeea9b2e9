import type { AttributeValue } from '../../../storage/index.js';
import { validation } from '../errors.js';
import { checkValue } from '../values/attributes.js';
import type { Statement } from './ast.js';
import { StatementBinder } from './bind.js';
import { parseStatement } from './parser.js';

/** One request statement, parsed and with its Parameters checked and ready to bind. */
export interface Prepared {
  statement: Statement;
  binder: StatementBinder;
}

export function prepare(source: string, parameters: readonly unknown[] | undefined): Prepared {
  const { statement, parameters: expected } = parseStatement(source);
  const given = parameters ?? [];
  if (given.length !== expected) throw validation("Number of parameters in request and statement don't match.");
  const values: AttributeValue[] = given.map((value) => checkValue(value));
  return { statement, binder: new StatementBinder(values) };
}

export function isRead(statement: Statement): boolean {
  return statement.kind === 'select';
}
