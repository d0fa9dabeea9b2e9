import { isFlintError } from '../../../core/index.js';
import { AwsError } from '../../../protocol/index.js';
import type { Item } from '../../../storage/index.js';
import type { OperationContext } from '../context.js';
import { resourceNotFound } from '../errors.js';
import type { WriteAction, WriteOutcome } from './write-plans.js';

/** A table deleted between the lookup and the store call is, to the caller, a table that does not exist. */
export async function storeCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isFlintError(error, 'NOT_FOUND') && !(error instanceof AwsError)) throw resourceNotFound();
    throw error;
  }
}

/** Runs one write action in its own store transaction. */
export function runWrite(ctx: OperationContext, action: WriteAction): Promise<WriteOutcome> {
  return storeCall(() =>
    ctx.tables.write([{ table: action.table.name, key: action.key, blind: action.blind }], ([current]: (Item | undefined)[]) => {
      const outcome = action.decide(current);
      return { changes: [outcome.change], result: outcome };
    }),
  );
}
