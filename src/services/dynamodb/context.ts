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
  /** The Host the call came to (DescribeEndpoints answers it). */
  host?: string;
}

export function tableArn(scope: Scope, table: string): string {
  return `arn:aws:dynamodb:${scope.region}:${scope.accountId}:table/${table}`;
}

export function streamArn(scope: Scope, table: string, label: string): string {
  return `${tableArn(scope, table)}/stream/${label}`;
}

/** A table's ARN as DynamoDB takes it in place of a table name: any partition, this node's or another's scope. */
export const TABLE_ARN = /^arn:aws[\w-]*:dynamodb:([^:]*):(\d*):table\/([a-zA-Z0-9_.-]+)$/;

/**
 * The table a TableName names: the model lets most operations take the table's ARN instead of its name
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html#DDB-GetItem-request-TableName).
 * An ARN of another region or account names no table here.
 */
export function tableNameOf(scope: Scope, nameOrArn: string): string | undefined {
  // Nearly every call names its table: the regular expression runs only on what can be an ARN.
  const arn = nameOrArn.startsWith('arn:') ? TABLE_ARN.exec(nameOrArn) : null;
  if (!arn) return nameOrArn;
  return arn[1] === scope.region && arn[2] === scope.accountId ? arn[3] : undefined;
}
