/**
 * DynamoDB's JSON 1.0 API (2012-08-10) and the DynamoDB Streams API, over the tables store, so the AWS SDKs
 * (DynamoDBClient, DynamoDBDocumentClient), boto3 (client and resource) and the AWS CLI work against Flint.
 *
 * Fidelity.
 * - Matches AWS: every operation with a handler below, read and checked by the protocol kit against AWS's models
 *   (dynamodb, dynamodbstreams) in DynamoDB's order and wording (quirks.ts, and checks.ts for what DynamoDB checks
 *   beyond its model), with its error texts (ValidationException as com.amazon.coral.validate#,
 *   SerializationException with "Message", the others under com.amazonaws.dynamodb.v20120810#) and the body's
 *   CRC32 in x-amz-crc32; the full expression language (condition, filter, key condition, update and
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
 *   UnknownOperationException. A table's ARN is not taken in place of its name (TableName is checked as a name).
 *   Only a table's newest stream is readable through the Streams API.
 * - Differs by design: tables and indexes are ACTIVE at once (CreateTable, UpdateTable and new indexes never report
 *   CREATING or UPDATING); capacity is never throttled and ConsumedCapacity is an estimate; ItemCount and
 *   TableSizeBytes are live rather than refreshed every six hours; BatchGetItem and BatchWriteItem never leave
 *   unprocessed items; reads are always strongly consistent; a batch write is applied atomically; ClientRequestToken
 *   idempotency lasts ten minutes within one node's memory. Signatures are not checked (the gateway's choice).
 */
import { crc32 } from 'node:zlib';
import type { Clock, FlintError, Logger, Service, ServiceRequest, ServiceResponse, Timer } from '../../core/index.js';
import { AwsError, defineService, loadModel, type AwsService, type CallInfo, type Wording } from '../../protocol/index.js';
import type { TableStore } from '../../storage/index.js';
import type { Operations } from './api.js';
import type { OperationContext } from './context.js';
import { dynamoError, serialization, translate, validation } from './errors.js';
import { ExpressionCache } from './expressions/cache.js';
import { IdempotencyTokens } from './idempotency.js';
import { describeEndpoints, describeLimits } from './ops/account.js';
import { batchGetItem, batchWriteItem } from './ops/batch.js';
import { createTable } from './ops/create-table.js';
import { deleteItem, getItem, putItem, updateItem } from './ops/items.js';
import { query } from './ops/query.js';
import { deleteResourcePolicy, getResourcePolicy, putResourcePolicy } from './ops/resource-policy.js';
import { scan } from './ops/scan.js';
import { describeStream, getRecords, getShardIterator, listStreams } from './ops/streams.js';
import { deleteTable, describeTableOp, describeTimeToLive, listTables, listTagsOfResource, tagResource, untagResource, updateTimeToLive } from './ops/tables.js';
import { transactGetItems, transactWriteItems } from './ops/transactions.js';
import { updateTable } from './ops/update-table.js';
import { DYNAMODB_QUIRKS, STREAMS_QUIRKS, VALIDATION_STYLE } from './quirks.js';
import type { Operations as StreamsOperations } from './streams-api.js';
import { TtlSweeper } from './ttl-sweeper.js';

/** DynamoDB's largest request (a full BatchWriteItem or TransactWriteItems). */
export const DYNAMODB_REQUEST_LIMIT = 16 * 1024 * 1024;

/** Both APIs answer on one endpoint; the target's prefix says which. */
const STREAMS_TARGET = 'DynamoDBStreams_20120810.';

/** The Java namespace of DynamoDB's (and DynamoDB Streams') modelled errors. */
const ERROR_NAMESPACE = 'com.amazonaws.dynamodb.v20120810';

/** Shapes handed to handlers as parsed: values/attributes.ts checks attribute values with DynamoDB's messages. */
const OPAQUE = ['AttributeValue'];

/** How DynamoDB words what fails before an operation runs, where the framework's defaults differ. */
const WORDING: Partial<Wording> = {
  malformedBody: () => serialization('Start of structure or map found where not expected'),
  tooLarge: () => validation(`Request size exceeded ${DYNAMODB_REQUEST_LIMIT} bytes`),
  internal: () => dynamoError('InternalServerError', 'Internal server error'),
};

/** Every response carries the CRC32 of its body, which botocore checks when present. */
function crcHeader(body: Buffer): Record<string, string> {
  return { 'x-amz-crc32': String(crc32(body)) };
}

export interface DynamoDbServiceOptions {
  region: string;
  accountId: string;
  clock: Clock;
  logger: Logger;
  /** How often expired items are swept and old stream records trimmed (default one minute). */
  sweepIntervalMs?: number;
}

export class DynamoDbService implements Service {
  private readonly context: OperationContext;
  private readonly sweeper: TtlSweeper;
  private readonly dynamodb: AwsService<Operations, OperationContext>;
  private readonly streams: AwsService<StreamsOperations, OperationContext>;
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
    const common = {
      context: (call: CallInfo): OperationContext => ({ ...this.context, host: call.request.host }),
      bodyLimit: DYNAMODB_REQUEST_LIMIT,
      wording: WORDING,
      errorNamespace: ERROR_NAMESPACE,
      responseHeaders: crcHeader,
      translate: (error: FlintError): AwsError | undefined => translate(error),
      logger: options.logger,
    };
    this.dynamodb = defineService<Operations, OperationContext>({
      ...common,
      name: 'dynamodb',
      model: loadModel('dynamodb'),
      opaque: OPAQUE,
      validation: VALIDATION_STYLE,
      quirks: DYNAMODB_QUIRKS,
      handlers: {
        CreateTable: createTable,
        DescribeTable: describeTableOp,
        ListTables: listTables,
        UpdateTable: updateTable,
        DeleteTable: deleteTable,
        UpdateTimeToLive: updateTimeToLive,
        DescribeTimeToLive: describeTimeToLive,
        TagResource: tagResource,
        UntagResource: untagResource,
        ListTagsOfResource: listTagsOfResource,
        PutItem: putItem,
        GetItem: getItem,
        UpdateItem: updateItem,
        DeleteItem: deleteItem,
        Query: query,
        Scan: scan,
        BatchGetItem: batchGetItem,
        BatchWriteItem: batchWriteItem,
        TransactWriteItems: transactWriteItems,
        TransactGetItems: transactGetItems,
        PutResourcePolicy: putResourcePolicy,
        GetResourcePolicy: getResourcePolicy,
        DeleteResourcePolicy: deleteResourcePolicy,
        DescribeLimits: describeLimits,
        DescribeEndpoints: describeEndpoints,
      },
    });
    this.streams = defineService<StreamsOperations, OperationContext>({
      ...common,
      name: 'dynamodbstreams',
      model: loadModel('dynamodbstreams'),
      // GetRecords keeps the event record's spelling of userIdentity (see ops/streams.ts).
      opaque: [...OPAQUE, 'Identity'],
      quirks: STREAMS_QUIRKS,
      handlers: { ListStreams: listStreams, DescribeStream: describeStream, GetShardIterator: getShardIterator, GetRecords: getRecords },
    });
  }

  /** Serves both APIs: DynamoDB_20120810.* and DynamoDBStreams_20120810.* targets. */
  handle(request: ServiceRequest): Promise<ServiceResponse> {
    const target = request.headers['x-amz-target'];
    const streams = typeof target === 'string' && target.startsWith(STREAMS_TARGET);
    return (streams ? this.streams : this.dynamodb).handle(request);
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
