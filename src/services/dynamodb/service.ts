/**
 * DynamoDB's JSON 1.0 API (2012-08-10) and the DynamoDB Streams API, over the tables store, so the AWS SDKs
 * (DynamoDBClient, DynamoDBDocumentClient), boto3 (client and resource) and the AWS CLI work against Flint.
 *
 * Fidelity.
 * - Matches AWS: every operation listed in OPERATIONS below with DynamoDB's request validation and error texts
 *   (ValidationException as com.amazon.coral.validate#, SerializationException with "Message", the others under
 *   com.amazonaws.dynamodb.v20120810#), the full expression language (condition, filter, key condition, update and
 *   projection expressions with their placeholders, reserved words, redundant-parenthesis, overlap and operand
 *   type checks), the legacy parameters (Expected, AttributesToGet, KeyConditions, QueryFilter, ScanFilter,
 *   ConditionalOperator, AttributeUpdates), 38-digit decimal numbers with DynamoDB's normalisation and limits, key
 *   order (numbers by value, strings by UTF-8 bytes, binary by bytes), item sizes and the 400 KB limit, the 1 MB
 *   page of Query and Scan with FilterExpression applied after Limit, parallel scan segments, secondary indexes
 *   with their projections, all-or-nothing transactions with CancellationReasons in order, ReturnValues and
 *   ReturnValuesOnConditionCheckFailure, stream records per view type (none for writes that change nothing), and
 *   time to live: expired items stay readable until a periodic sweep deletes them, with REMOVE stream records by
 *   the service principal.
 * - Missing: PartiQL (ExecuteStatement and friends), backups, exports and imports, global tables, resource
 *   policies, contributor insights, Kinesis streaming destinations and reserved capacity answer
 *   UnknownOperationException. Only a table's newest stream is readable through the Streams API.
 * - Differs by design: tables and indexes are ACTIVE at once (CreateTable, UpdateTable and new indexes never report
 *   CREATING or UPDATING); capacity is never throttled and ConsumedCapacity is an estimate; ItemCount and
 *   TableSizeBytes are live rather than refreshed every six hours; BatchGetItem and BatchWriteItem never leave
 *   unprocessed items; reads are always strongly consistent; a batch write is applied atomically; ClientRequestToken
 *   idempotency lasts ten minutes within one node's memory. Signatures are not checked (the gateway's choice).
 */
import type { Clock, Logger, BufferedService, BufferedRequest, BufferedResponse, Timer } from '../../core/index.js';
import { toFlintError } from '../../core/index.js';
import type { TableStore } from '../../storage/index.js';
import type { Operation, OperationContext } from './context.js';
import { dynamoError, errorResponse } from './errors.js';
import { ExpressionCache } from './expressions/cache.js';
import { IdempotencyTokens } from './idempotency.js';
import { batchGetItem, batchWriteItem } from './ops/batch.js';
import { createTable } from './ops/create-table.js';
import { deleteItem, getItem, putItem, updateItem } from './ops/items.js';
import { query } from './ops/query.js';
import { scan } from './ops/scan.js';
import { describeStream, getRecords, getShardIterator, listStreams } from './ops/streams.js';
import { deleteTable, describeTableOp, describeTimeToLive, listTables, listTagsOfResource, tagResource, untagResource, updateTimeToLive } from './ops/tables.js';
import { transactGetItems, transactWriteItems } from './ops/transactions.js';
import { updateTable } from './ops/update-table.js';
import { TtlSweeper } from './ttl-sweeper.js';
import { DYNAMODB_PREFIX, jsonResponse, parseBody, STREAMS_PREFIX, targetOf } from './wire.js';

/** DynamoDB's largest request (a full BatchWriteItem or TransactWriteItems). */
export const DYNAMODB_REQUEST_LIMIT = 16 * 1024 * 1024;

const OPERATIONS: Record<string, Operation> = {
  [`${DYNAMODB_PREFIX}CreateTable`]: createTable,
  [`${DYNAMODB_PREFIX}DescribeTable`]: describeTableOp,
  [`${DYNAMODB_PREFIX}ListTables`]: listTables,
  [`${DYNAMODB_PREFIX}UpdateTable`]: updateTable,
  [`${DYNAMODB_PREFIX}DeleteTable`]: deleteTable,
  [`${DYNAMODB_PREFIX}UpdateTimeToLive`]: updateTimeToLive,
  [`${DYNAMODB_PREFIX}DescribeTimeToLive`]: describeTimeToLive,
  [`${DYNAMODB_PREFIX}TagResource`]: tagResource,
  [`${DYNAMODB_PREFIX}UntagResource`]: untagResource,
  [`${DYNAMODB_PREFIX}ListTagsOfResource`]: listTagsOfResource,
  [`${DYNAMODB_PREFIX}PutItem`]: putItem,
  [`${DYNAMODB_PREFIX}GetItem`]: getItem,
  [`${DYNAMODB_PREFIX}UpdateItem`]: updateItem,
  [`${DYNAMODB_PREFIX}DeleteItem`]: deleteItem,
  [`${DYNAMODB_PREFIX}Query`]: query,
  [`${DYNAMODB_PREFIX}Scan`]: scan,
  [`${DYNAMODB_PREFIX}BatchGetItem`]: batchGetItem,
  [`${DYNAMODB_PREFIX}BatchWriteItem`]: batchWriteItem,
  [`${DYNAMODB_PREFIX}TransactWriteItems`]: transactWriteItems,
  [`${DYNAMODB_PREFIX}TransactGetItems`]: transactGetItems,
  [`${STREAMS_PREFIX}ListStreams`]: listStreams,
  [`${STREAMS_PREFIX}DescribeStream`]: describeStream,
  [`${STREAMS_PREFIX}GetShardIterator`]: getShardIterator,
  [`${STREAMS_PREFIX}GetRecords`]: getRecords,
};

export interface DynamoDbServiceOptions {
  region: string;
  accountId: string;
  clock: Clock;
  logger: Logger;
  /** How often expired items are swept and old stream records trimmed (default one minute). */
  sweepIntervalMs?: number;
}

export class DynamoDbService implements BufferedService {
  private readonly context: OperationContext;
  private readonly sweeper: TtlSweeper;
  private timer: Timer | undefined;

  constructor(
    readonly tables: TableStore,
    private readonly options: DynamoDbServiceOptions,
  ) {
    this.context = {
      tables,
      expressions: new ExpressionCache(),
      clock: options.clock,
      scope: { region: options.region, accountId: options.accountId },
      tokens: new IdempotencyTokens(options.clock),
    };
    this.sweeper = new TtlSweeper(tables, options.clock, options.logger);
  }

  bodyLimit(): number {
    return DYNAMODB_REQUEST_LIMIT;
  }

  async handle(req: BufferedRequest): Promise<BufferedResponse> {
    try {
      if (req.bodyTooLarge) throw dynamoError('ValidationException', `Request size exceeded ${DYNAMODB_REQUEST_LIMIT} bytes`);
      const target = targetOf(req);
      const operation = Object.hasOwn(OPERATIONS, target) ? OPERATIONS[target] : undefined;
      if (!operation) throw dynamoError('UnknownOperationException', `Unknown operation ${target}`);
      return jsonResponse(await operation(parseBody(req), this.context), req.requestId);
    } catch (error) {
      const flint = toFlintError(error);
      if (flint.code === 'INTERNAL' || flint.code === 'STORAGE_FAILED') {
        this.options.logger.error('dynamodb request failed', { target: req.headers['x-amz-target'], error: flint.message });
      }
      return errorResponse(flint, req.requestId);
    }
  }

  /** Starts the periodic time-to-live sweep and stream trimming. */
  start(): void {
    if (this.timer) return;
    const interval = this.options.sweepIntervalMs ?? 60_000;
    const tick = () => {
      void this.sweeper.sweep().finally(() => {
        if (this.timer) this.timer = this.options.clock.setTimer(interval, tick);
      });
    };
    this.timer = this.options.clock.setTimer(interval, tick);
  }

  /** Deletes expired items and trims old stream records now; returns how many items went. */
  sweep(): Promise<number> {
    return this.sweeper.sweep();
  }

  async close(): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    await this.sweeper.idle();
  }
}
