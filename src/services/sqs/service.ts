/**
 * Amazon SQS, on both of its wire protocols: JSON 1.0 (AWS SDK v3, current boto3 and CLI) and the query protocol
 * with XML answers (Debian's AWS CLI 2.9 and boto3 1.26), over one set of operations backed by the MessageStore.
 * The protocol kit reads and writes both from SQS's model (the query protocol's names and legacy error codes are
 * the model's `query` traits); the operations see typed input and check it in SQS's own words.
 *
 * Fidelity.
 * - Matches AWS: CreateQueue (attributes, tags, idempotent for equal attributes, QueueAlreadyExists otherwise,
 *   .fifo names with FifoQueue=true), GetQueueUrl, ListQueues (prefix, MaxResults/NextToken), DeleteQueue,
 *   Get/SetQueueAttributes with SQS's defaults (VisibilityTimeout 30, MaximumMessageSize 1048576, retention 4 days),
 *   ranges and error wording, RedrivePolicy and RedriveAllowPolicy, ListDeadLetterSourceQueues, PurgeQueue
 *   (PurgeQueueInProgress within 60 s); AddPermission/RemovePermission as statements in the Policy attribute the
 *   way SQS writes them (Id "<arn>/SQSDefaultPolicy", Sid = label, root ARNs of the accounts, "SQS:<action>";
 *   "Already exists." / "can't find label."; no Policy once the last label goes), with SQS's quotas (7 actions per
 *   statement, 50 principals, 20 statements: OverLimit); tags on CreateQueue/TagQueue/UntagQueue/ListQueueTags
 *   with SQS's limits (50 per queue, keys 1-128 and values up to 256 characters, letters, digits, spaces and
 *   _ . : / = + - @, no `aws:` prefix; an empty tag map or key list is MissingParameter); SendMessage(Batch)
 *   with message attributes (String, Number, Binary, custom types), AWSTraceHeader, size limits,
 *   MD5OfMessageBody/Attributes/SystemAttributes computed as SQS does;
 *   ReceiveMessage with MaxNumberOfMessages, VisibilityTimeout, long polling (WaitTimeSeconds or the queue's
 *   ReceiveMessageWaitTimeSeconds, answered as soon as a message arrives), system and message attribute selection
 *   (All, names, prefix.*); receipt handles that change on every receive, stale ones still deleting on standard
 *   queues and refused as expired on FIFO queues; Delete/ChangeMessageVisibility(Batch); redrive to a dead-letter
 *   queue on receive once maxReceiveCount is exceeded (DeadLetterQueueSourceArn); FIFO ordering per group, group
 *   locking, deduplication by id or content (SHA-256) over five minutes, DeduplicationScope, SequenceNumber; errors
 *   with the legacy codes (query XML, and `x-amzn-query-error` beside the JSON `__type`), MissingParameter and
 *   InvalidParameterValue worded as SQS words them, and the query protocol's own message for a missing queue.
 *   Every error message recorded from AWS in LocalStack's test_sqs.snapshot.json (both protocols) was checked
 *   against Flint's wording and matches.
 * - Missing: message move tasks (UnsupportedOperation), cross-account access through queue policies (a policy is
 *   evaluated for the owner account's principals when the node enforces IAM policies; another account reaches only
 *   its own queues), ReceiveRequestAttemptId (accepted, not deduplicated), KMS (settings kept, nothing
 *   encrypted), the 12-hour cap on a message's total visibility time, the 120,000 in-flight message quota,
 *   QueueDeletedRecently (a name can be reused at once).
 * - Differs by design: signatures are checked by the gateway in server mode only, and there is one account and region (the node's); queue URLs
 *   name the host the client used (`<scheme>://<host>/<account>/<queue>`) and QueueUrl values naming other hosts
 *   are accepted by their last path segment. Standard queues deliver oldest-visible first and exactly once per
 *   visibility window (AWS allows duplicates and reordering). Long polls are woken in process; a message sent
 *   through another process sharing the database is seen when the poll's timer next fires. Queue settings are
 *   cached for a second (AWS documents up to 60 s for attribute changes to propagate).
 * - Unrecorded: no recording of AWS covers a JSON body that does not parse, a JSON value of the wrong type, an
 *   unknown X-Amz-Target or an absent member inside a batch entry; Flint answers them with the codes SQS uses
 *   (MalformedQueryString, InvalidParameterValue, InvalidAction, MissingParameter) in SQS's phrasing. A query
 *   request without a required list (`Entries=`, as botocore sends an empty one) reads it as empty. No recording
 *   covers the wording of a refused tag, of an invalid AddPermission label or action, or of OverLimit, nor an
 *   empty tag map: Flint answers them in SQS's "Value … for parameter … is invalid. Reason: …" form, an invalid
 *   action with "Please refer to the appropriate WSDL for a list of valid actions.", an empty map as
 *   MissingParameter.
 */
import { type Clock, type FlintError, type Logger, type Service, type ServiceRequest, type ServiceResponse } from '../../core/index.js';
import { defineService, type AwsError, type AwsService, type XmlOptions } from '../../protocol/index.js';
import type { MessageStore } from '../../storage/index.js';
import type { Operations } from './api.js';
import type { SqsContext } from './context.js';
import { SqsEngine } from './engine.js';
import { invalidValue, queueDoesNotExist } from './errors.js';
import { sqsHandlers } from './handlers.js';
import { SQS_MODEL } from './model.js';
import { SqsQueues } from './queues-api.js';
import { SQS_WORDING } from './wording.js';

export interface SqsServiceOptions {
  region: string;
  accountId: string;
  clock: Clock;
  logger: Logger;
}

/** A batch of ten 1 MiB-limited messages, form-encoded (up to three bytes per byte), fits with room to spare. */
const REQUEST_LIMIT = 8 * 1024 * 1024;

/** SQS's query documents: `<?xml version="1.0"?>`, `<Detail/>` in errors, `&#xD;` for a carriage return, and a
 * message attribute's DataType before its value (the model's namespace, 2012-11-05, is the document's). */
const SQS_XML: XmlOptions = {
  declaration: true,
  errorDetail: true,
  carriageReturn: '&#xD;',
  memberOrder: { MessageAttributeValue: ['DataType'] },
};

export class SqsService implements Service {
  /** The in-process API for Flint's other subsystems, over the same queues. */
  readonly queues: SqsQueues;
  private readonly engine: SqsEngine;
  private readonly api: AwsService<Operations, SqsContext>;

  constructor(messages: MessageStore, options: SqsServiceOptions) {
    this.engine = new SqsEngine(messages, options);
    this.queues = new SqsQueues(this.engine);
    this.api = defineService<Operations, SqsContext>({
      name: 'sqs',
      model: SQS_MODEL,
      handlers: sqsHandlers(),
      context: ({ protocol, request }) => ({ engine: this.engine, baseUrl: request.baseUrl, protocol, rawPath: request.rawPath }),
      // SQS checks its parameters in its own words (InvalidParameterValue, MissingParameter), not coral's.
      validation: false,
      bodyLimit: REQUEST_LIMIT,
      wording: SQS_WORDING,
      errorNamespace: 'com.amazonaws.sqs',
      xml: SQS_XML,
      translate,
      logger: options.logger,
    });
  }

  handle(request: ServiceRequest): Promise<ServiceResponse> {
    return this.api.handle(request);
  }

  /** The largest request body either protocol accepts. */
  bodyLimit(): number {
    return REQUEST_LIMIT;
  }

  /** Ends pending long polls; they answer with no messages. */
  close(): void {
    this.engine.close();
  }
}

/** Errors raised below the service: a queue gone from the store, a value the store refused. */
function translate(error: FlintError): AwsError | undefined {
  if (error.code === 'NOT_FOUND') return queueDoesNotExist();
  if (error.code === 'INVALID_PARAMETER') return invalidValue(error.message);
  return undefined;
}
