/**
 * Amazon CloudWatch Logs (JSON 1.1, X-Amz-Target `Logs_20140328.<Operation>`): the logs Flint's functions write,
 * served as Lambda names them, and log groups clients create and write themselves.
 *
 * Fidelity.
 * - Matches AWS: every function that has logged has the group `/aws/lambda/<function>` (created with its first
 *   line, as Lambda creates it) with one stream per instance named `YYYY/MM/DD/[<version>]<32 hex instance id>` (the
 *   instance's AWS_LAMBDA_LOG_STREAM_NAME), and its lines as events: START, END and REPORT lines included, each
 *   message ending in a newline, ingestionTime equal to the timestamp. CreateLogGroup (tags, kmsKeyId kept,
 *   logGroupClass, ResourceAlreadyExists), DeleteLogGroup (a function group's records go with it and come back
 *   with its next line), DescribeLogGroups (prefix, case-insensitive pattern, identifiers, class, paging;
 *   arn with `:*` and logGroupArn, storedBytes counted from what is stored), Create/Delete/DescribeLogStreams
 *   (orderBy LogStreamName or LastEventTime, descending, prefix, paging, first/last event and ingestion times,
 *   storedBytes 0 as AWS has reported since 2019), PutLogEvents (chronological order, 1 MiB and 24-hour batches,
 *   events over 14 days old, past the group's retention or over 2 hours ahead left out and reported in
 *   rejectedLogEventsInfo with AWS's exclusive and inclusive indexes, a nextSequenceToken), GetLogEvents (latest
 *   events first unless startFromHead, f/ and b/ tokens, the same token back at either end, 1 MB pages),
 *   FilterLogEvents (streams by name or prefix, startTime/endTime inclusive, CloudWatch's filter pattern syntax:
 *   filter-pattern.ts; events across streams in timestamp order, eventId, nextToken, searchedLogStreams),
 *   Put/DeleteRetentionPolicy (AWS's list of periods; a function group's policy replaces the node's default age for
 *   that function's records, and custom groups' events are pruned by theirs), TagLogGroup/UntagLogGroup/
 *   ListTagsLogGroup and TagResource/UntagResource/ListTagsForResource (50 tags), StartLiveTail as an event stream
 *   (sessionStart, then sessionUpdate frames with new events that match the streams, prefixes and pattern).
 *   Validation failures are InvalidParameterException with AWS's "1 validation error detected" wording.
 * - Missing: metric filters, subscription filters, destinations, Logs Insights queries, export tasks, anomaly
 *   detectors, deliveries, data protection and account policies, ListLogGroups and the other newer operations
 *   (UnknownOperationException); unmask; KMS (kmsKeyId is kept, nothing is encrypted); live tail sampling,
 *   heartbeat updates and the 3-hour session timeout; the 10,000-events-per-second and other throughput quotas.
 * - Differs by design: one region (the node's). Each account has its own instance of this service on its own
 *   storage (platform/accounts.ts), so its log groups and their ARNs are its own. A function stream's day is that of the
 *   instance's oldest stored record (the runtime names it at instance start: they differ only for an instance
 *   started just before midnight UTC that logged nothing until after it, or whose first records were pruned).
 *   Streams of function instances are written by Flint only (PutLogEvents into them is refused); deleting one
 *   deletes that instance's records. Retention runs once a minute (AWS: within days); the node's record cap
 *   (LogRetentionOptions.maxRecords) still bounds functions without a policy. DescribeLogGroups' storedBytes
 *   is exact and current (AWS's lags). FilterLogEvents examines up to 10,000 events per call before answering
 *   with a nextToken.
 * - Unrecorded: no recording covers PutLogEvents' size and span errors, an invalid filter pattern, or streams
 *   given both by name and prefix; Flint answers them with InvalidParameterException in its own words.
 */
import type { Clock, Logger, Service, ServiceRequest, ServiceResponse } from '../../core/index.js';
import type { RetentionPolicies } from '../../observe/index.js';
import { defineService, type AwsService, type Handlers } from '../../protocol/index.js';
import type { LogStore, MetadataStore, NewLogRecord } from '../../storage/index.js';
import type { Operations } from './api.js';
import { LogsBackend } from './backend.js';
import { invalidParameter } from './errors.js';
import { LOGS_MODEL } from './model.js';
import { eventHandlers } from './ops-events.js';
import { groupHandlers } from './ops-groups.js';
import { liveTailHandlers } from './ops-live-tail.js';
import { tagHandlers } from './ops-tags.js';
import { retentionPolicies } from './retention.js';

export interface LogsServiceOptions {
  region: string;
  accountId: string;
  clock: Clock;
  logger: Logger;
  /** Function records as the node writes them, for live tails (BatchingLogSink.listen). */
  listen?: (listener: (record: NewLogRecord) => void) => () => void;
}

type Ctx = { backend: LogsBackend };

/** A PutLogEvents batch is at most 1 MiB of messages; JSON escaping can double that. */
const REQUEST_LIMIT = 4 * 1024 * 1024;

export class LogsService implements Service {
  private readonly backend: LogsBackend;
  private readonly api: AwsService<Operations, Ctx>;
  private readonly metadata: MetadataStore;
  private unlisten: (() => void) | undefined;

  constructor(
    stores: { metadata: MetadataStore; logs: LogStore },
    private readonly options: LogsServiceOptions,
  ) {
    this.metadata = stores.metadata;
    this.backend = new LogsBackend({ ...stores, clock: options.clock, place: { region: options.region, accountId: options.accountId } });
    const handlers: Handlers<Operations, Ctx> = { ...groupHandlers(), ...eventHandlers(), ...tagHandlers(), ...liveTailHandlers() };
    this.api = defineService<Operations, Ctx>({
      name: 'logs',
      model: LOGS_MODEL,
      handlers,
      context: () => ({ backend: this.backend }),
      bodyLimit: REQUEST_LIMIT,
      wording: { validation: validationError },
      logger: options.logger,
    });
  }

  handle(request: ServiceRequest): Promise<ServiceResponse> {
    return this.api.handle(request);
  }

  start(): void {
    this.unlisten ??= this.options.listen?.((record) => this.backend.tails.publishRecord(record));
  }

  /** Ends live tails (their streams finish) and stops listening to the node's records. */
  close(): void {
    this.unlisten?.();
    this.unlisten = undefined;
    this.backend.tails.close();
  }

  /** The groups' retention policies, for the node's log retention. */
  retentionPolicies(): Promise<RetentionPolicies> {
    return retentionPolicies(this.metadata);
  }
}

/**
 * CloudWatch Logs answers constraint violations as InvalidParameterException (recorded:
 * test_get_log_events_limit_validation), and a name over 512 characters in words of its own (recorded:
 * test_create_log_group_invalid_name_length).
 */
function validationError(message: string) {
  if (/^1 validation error detected: Value '.*' at 'log(Group|Stream)Name' failed to satisfy constraint: Member must have length less than or equal to 512$/s.test(message)) {
    return invalidParameter('Invalid LogGroup or LogStream, both must have length less than or equal to 512.');
  }
  return invalidParameter(message);
}
