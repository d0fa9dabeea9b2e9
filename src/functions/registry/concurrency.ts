import { unqualifiedName } from './arn.js';
import { requireFunction, type RegistryContext } from './context.js';
import { constraintViolation, invalid } from './errors.js';

export interface ConcurrencyLimits {
  /** The node-wide limit that reservations are carved from. */
  accountConcurrency: number;
  /** What must stay unreserved for functions without a reservation (Lambda keeps 100). */
  minUnreserved: number;
}

/** Serialises every reservation change, since each one checks the sum over all functions. */
const ALL_RESERVATIONS = '*reservations';

/** Reserved concurrency per function, with Lambda's rule that some of the account limit stays unreserved. */
export class ReservedConcurrency {
  constructor(
    private readonly ctx: RegistryContext,
    private readonly limits: ConcurrencyLimits,
  ) {}

  async put(functionName: string, reserved: number): Promise<number> {
    const name = unqualifiedName(functionName);
    checkCount(reserved);
    return this.ctx.lock.run(name, async () => {
      await requireFunction(this.ctx, name);
      await this.putLocked(name, reserved);
      return reserved;
    });
  }

  async get(functionName: string): Promise<number | undefined> {
    const name = unqualifiedName(functionName);
    await requireFunction(this.ctx, name);
    return this.ctx.records.getConcurrency(name);
  }

  async delete(functionName: string): Promise<void> {
    const name = unqualifiedName(functionName);
    await this.ctx.lock.run(name, async () => {
      await requireFunction(this.ctx, name);
      await this.deleteLocked(name);
    });
  }

  all(): Promise<Map<string, number>> {
    return this.ctx.records.listConcurrency();
  }

  /** The account limit minus every reservation, as Lambda's GetAccountSettings reports it. */
  async unreserved(): Promise<number> {
    const all = await this.ctx.records.listConcurrency();
    return this.limits.accountConcurrency - [...all.values()].reduce((sum, n) => sum + n, 0);
  }

  /** Throws as `put` would, without writing: lets a deploy refuse before it changes anything. */
  async check(name: string, reserved: number): Promise<void> {
    checkCount(reserved);
    this.checkFits(name, reserved, await this.ctx.records.listConcurrency());
  }

  /** For callers already holding the function's lock. Returns whether anything changed. */
  async putLocked(name: string, reserved: number): Promise<boolean> {
    checkCount(reserved);
    return this.ctx.lock.run(ALL_RESERVATIONS, async () => {
      const all = await this.ctx.records.listConcurrency();
      if (all.get(name) === reserved) return false;
      this.checkFits(name, reserved, all);
      await this.ctx.records.putConcurrency(name, reserved);
      this.ctx.emit({ type: 'concurrency', functionName: name, version: '$LATEST' });
      return true;
    });
  }

  private checkFits(name: string, reserved: number, all: ReadonlyMap<string, number>): void {
    const others = [...all].filter(([key]) => key !== name).reduce((sum, [, n]) => sum + n, 0);
    if (this.limits.accountConcurrency - others - reserved < this.limits.minUnreserved) {
      throw invalid(
        `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${this.limits.minUnreserved}].`,
        'value',
        { field: 'reservedConcurrentExecutions' },
      );
    }
  }

  /** For callers already holding the function's lock. Returns whether there was a reservation. */
  async deleteLocked(name: string): Promise<boolean> {
    const removed = await this.ctx.lock.run(ALL_RESERVATIONS, () => this.ctx.records.deleteConcurrency(name));
    if (removed) this.ctx.emit({ type: 'concurrency', functionName: name, version: '$LATEST' });
    return removed;
  }
}

function checkCount(reserved: number): void {
  if (!Number.isInteger(reserved) || reserved < 0) {
    throw constraintViolation('reservedConcurrentExecutions', reserved, 'Member must have value greater than or equal to 0');
  }
}
