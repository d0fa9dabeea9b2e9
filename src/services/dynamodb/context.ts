import type { Clock } from '../../core/index.js';
import type { TableStore } from '../../storage/index.js';
import type { ExpressionCache } from './expressions/cache.js';
import type { IdempotencyTokens } from './idempotency.js';
import type { Transfers } from './transfer/jobs.js';

export interface Scope {
  region: string;
  accountId: string;
}

/** What every operation works with; one per service instance. */
export interface OperationContext {
  tables: TableStore;
  expressions: ExpressionCache;
  clock: Clock;
  scope: Scope;
  /** TransactWriteItems ClientRequestTokens seen in the last ten minutes. */
  tokens: IdempotencyTokens;
  /** Exports to and imports from S3; absent when the service was started without the node's objects store. */
  transfers?: Transfers;
}

export function tableArn(scope: Scope, table: string): string {
  return `arn:aws:dynamodb:${scope.region}:${scope.accountId}:table/${table}`;
}

export function streamArn(scope: Scope, table: string, label: string): string {
  return `${tableArn(scope, table)}/stream/${label}`;
}
