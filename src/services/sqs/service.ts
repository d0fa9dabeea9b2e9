/**
 * Amazon SQS, on both of its wire protocols: JSON 1.0 (AWS SDK v3, current boto3 and CLI) and the query protocol
 * with XML answers (Debian's AWS CLI 2.9 and boto3 1.26), over one set of operations backed by the MessageStore.
 *
 * Fidelity.
 * - Matches AWS: CreateQueue (attributes, tags, idempotent for equal attributes, QueueAlreadyExists otherwise,
 *   .fifo names with FifoQueue=true), GetQueueUrl, ListQueues (prefix, MaxResults/NextToken), DeleteQueue,
 *   Get/SetQueueAttributes with SQS's defaults (VisibilityTimeout 30, MaximumMessageSize 1048576, retention 4 days),
 *   ranges and error wording, RedrivePolicy and RedriveAllowPolicy, ListDeadLetterSourceQueues, tags, PurgeQueue
 *   (PurgeQueueInProgress within 60 s); SendMessage(Batch) with message attributes (String, Number, Binary, custom
 *   types), AWSTraceHeader, size limits, MD5OfMessageBody/Attributes/SystemAttributes computed as SQS does;
 *   ReceiveMessage with MaxNumberOfMessages, VisibilityTimeout, long polling (WaitTimeSeconds or the queue's
 *   ReceiveMessageWaitTimeSeconds, answered as soon as a message arrives), system and message attribute selection
 *   (All, names, prefix.*); receipt handles that change on every receive, stale ones still deleting on standard
 *   queues and refused as expired on FIFO queues; Delete/ChangeMessageVisibility(Batch); redrive to a dead-letter
 *   queue on receive once maxReceiveCount is exceeded (DeadLetterQueueSourceArn); FIFO ordering per group, group
 *   locking, deduplication by id or content (SHA-256) over five minutes, DeduplicationScope, SequenceNumber; errors
 *   with the legacy codes (query XML, and `x-amzn-query-error` beside the JSON `__type`).
 * - Missing: AddPermission/RemovePermission and message move tasks (UnsupportedOperation), ReceiveRequestAttemptId
 *   (accepted, not deduplicated), KMS (settings kept, nothing encrypted), the 12-hour cap on a message's total
 *   visibility time, the 120,000 in-flight message quota, QueueDeletedRecently (a name can be reused at once).
 * - Differs by design: signatures are not checked and there is one account and region (the node's); queue URLs
 *   name the host the client used (`<scheme>://<host>/<account>/<queue>`) and QueueUrl values naming other hosts
 *   are accepted by their last path segment. Standard queues deliver oldest-visible first and exactly once per
 *   visibility window (AWS allows duplicates and reordering). Long polls are woken in process; a message sent
 *   through another process sharing the database is seen when the poll's timer next fires. Queue settings are
 *   cached for a second (AWS documents up to 60 s for attribute changes to propagate).
 */
import type { Logger, BufferedService, BufferedRequest, BufferedResponse } from '../../core/index.js';
import { toFlintError, type Clock } from '../../core/index.js';
import type { MessageStore } from '../../storage/index.js';
import { SqsEngine } from './engine.js';
import { invalidValue, sqsError } from './errors.js';
import { runOperation } from './operation.js';
import { decodeJson, decodeQuery, errorResponse, protocolOf, successResponse, type Protocol } from './protocol.js';
import { SqsQueues } from './queues-api.js';

export interface SqsServiceOptions {
  region: string;
  accountId: string;
  clock: Clock;
  logger: Logger;
}

/** A batch of ten 1 MiB-limited messages, form-encoded (up to three bytes per byte), fits with room to spare. */
const REQUEST_LIMIT = 8 * 1024 * 1024;

export class SqsService implements BufferedService {
  /** The in-process API for Flint's other subsystems, over the same queues. */
  readonly queues: SqsQueues;
  private readonly engine: SqsEngine;
  private readonly logger: Logger;

  constructor(messages: MessageStore, options: SqsServiceOptions) {
    this.engine = new SqsEngine(messages, options);
    this.queues = new SqsQueues(this.engine);
    this.logger = options.logger;
  }

  bodyLimit(): number {
    return REQUEST_LIMIT;
  }

  async handle(req: BufferedRequest): Promise<BufferedResponse> {
    const protocol: Protocol = protocolOf(req);
    try {
      if (req.bodyTooLarge) throw tooLarge(req, protocol);
      const { operation, input } = protocol === 'json' ? decodeJson(req) : decodeQuery(req);
      const output = await runOperation(operation, input, { engine: this.engine, baseUrl: req.baseUrl });
      return successResponse(protocol, operation, output, req.requestId);
    } catch (error) {
      const flint = toFlintError(error);
      if (flint.code === 'INTERNAL' || flint.code === 'STORAGE_FAILED') {
        this.logger.error('SQS request failed', { error: flint.message, requestId: req.requestId });
      }
      return errorResponse(protocol, flint, req.requestId);
    }
  }

  /** Ends pending long polls; they answer with no messages. */
  close(): void {
    this.engine.close();
  }
}

function tooLarge(req: BufferedRequest, protocol: Protocol): Error {
  if (protocol === 'json' && req.headers['x-amz-target'] === 'AmazonSQS.SendMessageBatch') {
    return sqsError('BatchRequestTooLong', `Batch requests cannot be longer than 1048576 bytes. You have sent ${req.headers['content-length'] ?? 'more'} bytes.`);
  }
  return invalidValue('One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.');
}
