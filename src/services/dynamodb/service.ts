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
 *   the service principal. Requests are checked in DynamoDB's order (test/services/dynamodb/order.test.ts): target,
 *   deserialisation, every constraint violation at once, then attribute values and expressions of every table a
 *   batch or transaction names, and only then the table lookups. A table's ARN is taken wherever a TableName is
 *   (BatchGetItem answers under the name the request used). ConsumedCapacity for TOTAL and INDEXES (4 KB read
 *   units, halved for eventually consistent reads, 1 KB write units, transactions doubled, and for PutItem,
 *   UpdateItem and DeleteItem the index entries written, a changed index key counted as a delete and a put), the 16 MB BatchGetItem
 *   answer with the rest as UnprocessedKeys, BillingModeSummary, SSEDescription (when SSESpecification enables
 *   KMS), WarmThroughput, DescribeLimits (AWS's defaults for a new account), DescribeEndpoints (the node's own
 *   host), resource-based policies (stored, JSON-checked, with RevisionId, ExpectedRevisionId and NO_POLICY) and
 *   tags within AWS's limits (50 per table, 128/256 characters, no aws: keys).
 *   On-demand backups (CreateBackup, DescribeBackup, ListBackups with its filters and
 *   paging, DeleteBackup, RestoreTableFromBackup with billing, throughput and index overrides) with AWS's backup
 *   ARNs, BackupDetails, SourceTableDetails and SourceTableFeatureDetails, RestoreSummary, and TableNotFound,
 *   BackupNotFound and TableAlreadyExists errors; a backup is a consistent copy kept in storage, survives restarts
 *   and its table's deletion. Point-in-time recovery (UpdateContinuousBackups with RecoveryPeriodInDays 1-35,
 *   default 35, DescribeContinuousBackups, RestoreTableToPointInTime by name or ARN, to a time or the latest) from
 *   a change history kept from the moment it is enabled and trimmed to the window by the periodic sweep, with
 *   PointInTimeRecoveryUnavailable and InvalidRestoreTime errors. A restored table gets the source's keys,
 *   indexes, billing and items, not its tags, stream, time to live or recovery, as AWS documents.
 * - Global secondary indexes with multi-attribute keys (AWS, November 2025): a GSI's KeySchema (CreateTable,
 *   UpdateTable's Create, restore overrides) may hold up to four HASH and four RANGE elements, HASH ones first, each
 *   defined in AttributeDefinitions, no name twice; it is described back in the order given. An item is in such an
 *   index only when it has every key attribute (sparse); the sort key orders by the RANGE attributes left to right.
 *   A Query needs = on every partition attribute and takes conditions on the sort attributes left to right, = on
 *   the leading ones and any key operator on the last one named (AND only), with ScanIndexForward, Limit, the 1 MB
 *   page and a LastEvaluatedKey holding the table key and every index key attribute; Scan, projections, index key
 *   type checks on writes and ConsumedCapacity work as for other indexes. Tables and local indexes keep one HASH
 *   and one RANGE element. Key schema refusals use the words a public lab recorded from DynamoDB (too many HASH or
 *   RANGE attributes, HASH after RANGE, a name given twice). It differs: AWS publishes no words for a Query that
 *   breaks the multi-attribute rules, so "Query key condition not supported: ..." (a range condition before the
 *   last sort attribute named, a partition attribute not compared with =) is Flint's, and a skipped sort attribute
 *   or missing partition attribute gets DynamoDB's single-key words ("Query condition missed key schema element:
 *   <name>"); a Query on any index with more than two conditions is checked after the table lookup (a missing
 *   table answers ResourceNotFound first); PartiQL reads such an index with a Scan (its WHERE clause still
 *   filters) rather than a Query.
 * - PartiQL (partiql/): ExecuteStatement, BatchExecuteStatement and ExecuteTransaction with SELECT (projections,
 *   nested paths, WHERE with comparisons, BETWEEN, IN, AND/OR/NOT, IS [NOT] MISSING, IS [NOT] NULL/STRING/NUMBER/…,
 *   attribute_exists, attribute_not_exists, begins_with, contains, attribute_type, size; a Query when the partition
 *   key is fixed by = or IN, otherwise a Scan; Limit, NextToken, ConsistentRead, ReturnConsumedCapacity, ORDER BY a
 *   key; an index as "table"."index"), INSERT (DuplicateItemException), UPDATE with SET (arithmetic, list_append,
 *   if_not_exists, set_add, set_delete) and REMOVE, DELETE, RETURNING, `?` parameters and every literal kind. Writes
 *   run as the native item writes, so conditions, key and size checks, stream records and transactions
 *   (CancellationReasons with DuplicateItem, ClientRequestToken) are the same.
 * - Exports and imports (transfer/): ExportTableToPointInTime writes into a bucket of the node's S3 what DynamoDB
 *   writes (<prefix>/AWSDynamoDB/<ExportId>/ with _started, gzipped data files of DynamoDB JSON or Ion text lines,
 *   manifest-files.json, manifest-summary.json and their .md5 files); ImportTable creates the table as CreateTable
 *   does and loads every object under the prefix (DYNAMODB_JSON, ION, CSV with Delimiter/HeaderList; GZIP or NONE),
 *   counting lines that are not valid items in ErrorCount; both answer IN_PROGRESS and finish just after on the
 *   node's clock (COMPLETED, or FAILED with FailureCode S3NoSuchBucket for a bucket that is not there, an import
 *   then deleting its table); ClientToken repeats within eight hours answer the first call, other parameters with
 *   Export/ImportConflictException. They differ: point-in-time recovery is not required (AWS answers
 *   PointInTimeRecoveryUnavailableException without it) and an export reads the table as it is when the work runs,
 *   not as it was at ExportTime (which is only checked to lie between the table's creation and now); only
 *   FULL_EXPORT (INCREMENTAL_EXPORT is a ValidationException) and no ZSTD input (ValidationException: Node 20 has
 *   no zstd); S3BucketOwner, SSE settings and bucket policies are echoed, not applied, and the objects written
 *   raise no S3 event notifications; the imported table is ACTIVE and writable during the import; an Ion line is
 *   read on its own (a value spanning lines is an error); error messages not published by AWS (unknown table,
 *   export time, conflicts) and the FailureCode/.md5 contents are Flint's best reading, not recorded answers
 *   (LocalStack's snapshots hold no export or import calls); import errors are not written to CloudWatch Logs.
 * - Missing: global tables, contributor insights, Kinesis streaming destinations and reserved capacity answer UnknownOperationException. Resource
 *   policies attach to tables only (not streams) and are never evaluated. Only a table's newest stream is readable through the Streams API.
 *   PartiQL lacks EXISTS(SELECT…) conditions in transactions and the VALUES form of INSERT; ORDER BY with an IN list
 *   orders within each partition only. Its syntax errors carry Flint's own details after "Statement wasn't well
 *   formed, can't be processed: " (without DynamoDB's `at line:column:length` positions), and the words refusing a
 *   batch or transaction that mixes reads and writes are not recorded from AWS. A NextToken is Flint's (base64 JSON).
 * - Differs by design: CreateTable answers CREATING and DeleteTable DELETING, as DynamoDB does, but the table is
 *   ACTIVE from the next call on (the CREATING window is zero on the node's clock: the SDKs' waitUntilTableExists
 *   waits at least 20 seconds after a first non-ACTIVE answer, which local work should not pay), and items can be
 *   written at once; UpdateTable and new indexes never report UPDATING or CREATING. Capacity is never throttled;
 *   ItemCount and TableSizeBytes are live rather than refreshed every six hours; BatchWriteItem never leaves
 *   unprocessed items and is applied atomically; reads are always strongly consistent (eventually consistent ones
 *   are still billed half); ClientRequestToken idempotency lasts ten minutes within one node's memory. The wording
 *   of a few errors AWS does not publish is Flint's: an invalid policy document, the 50-tag and aws: tag-key
 *   refusals, and the ExpectedRevisionId mismatch (a PolicyNotFoundException, as AWS raises it). Signatures are
 *   checked by the gateway in server mode only (gateway/auth/).
 *   Backups and restores complete before they answer: CreateBackup says CREATING and RestoreTable* say CREATING
 *   with RestoreInProgress (as AWS answers), every later call AVAILABLE / ACTIVE. LatestRestorableDateTime is the
 *   node's present, not about five minutes back as in AWS, since a write is in the history when it commits. Only
 *   USER backups exist (no SYSTEM or AWS_BACKUP ones); BackupInUseException and ContinuousBackupsUnavailable are
 *   never sent; SSESpecificationOverride and OnDemandThroughputOverride are accepted and ignored; a deleted table's
 *   point-in-time history goes with it (AWS keeps it 35 days as a system backup); an InvalidRestoreTimeException's
 *   and a PointInTimeRecoveryUnavailableException's wording are Flint's (no recording of AWS's was available).
 */
import { applyTableSettings, type TableSettingsDeclaration } from './ensure-table-settings.js';
import { crc32 } from 'node:zlib';
import type { Clock, FlintError, Logger, Service, ServiceRequest, ServiceResponse, Timer } from '../../core/index.js';
import { AwsError, defineService, loadModel, type AwsService, type CallInfo, type Wording } from '../../protocol/index.js';
import type { TableStore } from '../../storage/index.js';
import type { Operations } from './api.js';
import type { OperationContext } from './context.js';
import { dynamoError, serialization, translate, validation } from './errors.js';
import { ExpressionCache } from './expressions/cache.js';
import { IdempotencyTokens } from './idempotency.js';
import { createBackup, deleteBackup, describeBackup, listBackups, restoreTableFromBackup } from './ops/backups.js';
import { describeEndpoints, describeLimits } from './ops/account.js';
import { batchGetItem, batchWriteItem } from './ops/batch.js';
import { createTable } from './ops/create-table.js';
import { deleteItem, getItem, putItem, updateItem } from './ops/items.js';
import { query } from './ops/query.js';
import { describeContinuousBackups, restoreTableToPointInTime, updateContinuousBackups } from './ops/recovery.js';
import { deleteResourcePolicy, getResourcePolicy, putResourcePolicy } from './ops/resource-policy.js';
import { scan } from './ops/scan.js';
import { describeStream, getRecords, getShardIterator, listStreams } from './ops/streams.js';
import { deleteTable, describeTableOp, describeTimeToLive, listTables, listTagsOfResource, tagResource, untagResource, updateTimeToLive } from './ops/tables.js';
import { transactGetItems, transactWriteItems } from './ops/transactions.js';
import { updateTable } from './ops/update-table.js';
import { batchExecuteStatement, executeStatement, executeTransaction } from './partiql/index.js';
import { DYNAMODB_QUIRKS, STREAMS_QUIRKS, VALIDATION_STYLE } from './quirks.js';
import type { Operations as StreamsOperations } from './streams-api.js';
import { TtlSweeper } from './ttl-sweeper.js';
import { describeExportOp, describeImportOp, EXPORTS, exportTableToPointInTime, IMPORTS, importTable, listExports, listImports, runExport, runImport, Transfers, type ExportRecord, type ImportRecord, type TransferStores } from './transfer/index.js';

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
function crcHeader(body: Buffer, headers: Record<string, string>): void {
  headers['x-amz-crc32'] = String(crc32(body));
}

export interface DynamoDbServiceOptions {
  region: string;
  accountId: string;
  clock: Clock;
  logger: Logger;
  /** How often expired items are swept and old stream records trimmed (default one minute). */
  sweepIntervalMs?: number;
  /** S3's objects and a metadata store, for ExportTableToPointInTime and ImportTable; without them those answer ValidationException. */
  transfers?: TransferStores;
}

export class DynamoDbService implements Service {
  private readonly context: OperationContext;
  private readonly sweeper: TtlSweeper;
  private readonly dynamodb: AwsService<Operations, OperationContext>;
  private readonly streams: AwsService<StreamsOperations, OperationContext>;
  private readonly transfers: Transfers | undefined;
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
    if (options.transfers) {
      this.transfers = new Transfers(options.transfers, tables, options.clock, this.context.scope, options.logger);
      this.context.transfers = this.transfers;
    }
    this.sweeper = new TtlSweeper(tables, options.clock, options.logger);
    const common = {
      // Only DescribeEndpoints answers with the Host; the other calls share one context, not a copy per request.
      context: (call: CallInfo): OperationContext => (call.operation === 'DescribeEndpoints' ? { ...this.context, host: call.request.host } : this.context),
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
        ExportTableToPointInTime: exportTableToPointInTime,
        DescribeExport: describeExportOp,
        ListExports: listExports,
        ImportTable: importTable,
        DescribeImport: describeImportOp,
        ListImports: listImports,
        CreateBackup: createBackup,
        DescribeBackup: describeBackup,
        ListBackups: listBackups,
        DeleteBackup: deleteBackup,
        RestoreTableFromBackup: restoreTableFromBackup,
        UpdateContinuousBackups: updateContinuousBackups,
        DescribeContinuousBackups: describeContinuousBackups,
        RestoreTableToPointInTime: restoreTableToPointInTime,
        ExecuteStatement: executeStatement,
        BatchExecuteStatement: batchExecuteStatement,
        ExecuteTransaction: executeTransaction,
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

  /** Brings a table flint.yaml declares in line with its declared TTL, stream and indexes, through the API's own operations. */
  async applyTableSettings(declared: TableSettingsDeclaration): Promise<void> {
    await applyTableSettings(this.context, declared);
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
    this.resumeTransfers();
  }

  /** Exports and imports a stopped node left IN_PROGRESS run again from the start. */
  private resumeTransfers(): void {
    const transfers = this.transfers;
    if (!transfers) return;
    void transfers.resume<ExportRecord>(EXPORTS, (record) => runExport(transfers, record));
    void transfers.resume<ImportRecord>(IMPORTS, (record) => runImport(transfers, record));
  }

  /** Deletes expired items and trims old stream records now; returns how many items went. */
  sweep(): Promise<number> {
    return this.sweeper.sweep();
  }

  async close(): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    await this.transfers?.close();
    await this.sweeper.idle();
  }
}
