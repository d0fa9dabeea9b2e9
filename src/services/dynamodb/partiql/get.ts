import type { AwsError } from '../../../protocol/index.js';
import type { Item } from '../../../storage/index.js';
import type { OperationContext } from '../context.js';
import { evaluate } from '../expressions/evaluate.js';
import { project } from '../expressions/paths.js';
import { storeCall } from '../ops/store-calls.js';
import { findTable } from '../table-model.js';
import { allOf, type StatementBinder } from './bind.js';
import type { SelectStatement } from './select.js';
import { keyOfWhere } from './writes.js';

/**
 * A SELECT that names one item by its full primary key, as batches and transactions require: read as GetItem,
 * with the rest of the WHERE as a filter on the item.
 */
export async function getByKey(statement: SelectStatement, binder: StatementBinder, ctx: OperationContext, missingKey: () => AwsError): Promise<Item | undefined> {
  const { target, projection, where } = statement;
  const table = await findTable(ctx, target.table);
  const { key, rest } = keyOfWhere(where, table, binder, missingKey);
  const filter = allOf(rest.map((term) => binder.condition(term)));
  const item = await storeCall(() => ctx.tables.getItem(table.name, key));
  if (!item || (filter && !evaluate(filter, item))) return undefined;
  return projection ? project(item, projection) : item;
}
