/**
 * What the event subsystems need from the AWS-compatible services above them. events/ sits below services/, so
 * it names the behaviour it relies on here and the platform hands in implementations built from the services
 * (SqsQueues satisfies QueueSource as it is; TableStreamSource builds a StreamSource from the tables store).
 */

/** A message attribute as Lambda's SQS event spells it. */
export interface QueueRecordAttribute {
  dataType: string;
  stringValue?: string;
  binaryValue?: string;
  stringListValues: string[];
  binaryListValues: string[];
}

/** A received message, already shaped as a record of Lambda's SQS event. */
export interface QueueRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: Record<string, string>;
  messageAttributes: Record<string, QueueRecordAttribute>;
  md5OfBody: string;
  md5OfMessageAttributes?: string;
  eventSource: 'aws:sqs';
  eventSourceARN: string;
  awsRegion: string;
}

export interface QueueDescription {
  name: string;
  arn: string;
  fifo: boolean;
  /** Seconds. */
  visibilityTimeout: number;
}

/**
 * SQS queues by ARN, as an SQS event source mapping reads them. Errors are FlintErrors: NOT_FOUND for a queue that
 * is gone.
 */
export interface QueueSource {
  describe(queueArn: string): Promise<QueueDescription | undefined>;
  /** Up to `max` (1 to 10) messages; waits up to `waitMs` for the first one (long polling). */
  receive(queueArn: string, options: { max: number; waitMs?: number; visibilityTimeout?: number }): Promise<QueueRecord[]>;
  /** Returns the handles that were refused. */
  deleteBatch(queueArn: string, receiptHandles: string[]): Promise<string[]>;
  /** Seconds from now. */
  changeVisibility(queueArn: string, receiptHandle: string, visibilityTimeout: number): Promise<void>;
}

export interface StreamDescription {
  table: string;
  label: string;
  /** As DynamoDB's DescribeStream names the stream's one shard. */
  shardId: string;
  /** A disabled stream stays readable until its records are trimmed. */
  enabled: boolean;
}

/** A change record with the position it has in its stream. */
export interface StreamEntry {
  sequence: number;
  /** Epoch ms. */
  createdAt: number;
  /** Lambda's DynamoDB record without eventSourceARN: eventID, eventName, eventVersion, eventSource, awsRegion, dynamodb. */
  record: Record<string, unknown>;
}

/** DynamoDB streams by stream ARN, as a DynamoDB event source mapping reads them. */
export interface StreamSource {
  describe(streamArn: string): Promise<StreamDescription | undefined>;
  /** The position of the newest record so far: where LATEST starts. */
  latestSequence(): Promise<number>;
  /** Records after `after`, oldest first, at most `limit`. Throws NOT_FOUND when the stream is gone. */
  read(streamArn: string, after: number, limit: number): Promise<StreamEntry[]>;
}

/** A message attribute as SQS and SNS take it (Lambda's dead-letter messages carry RequestID, ErrorCode, ErrorMessage). */
export interface DestinationAttribute {
  DataType: 'String' | 'Number';
  StringValue: string;
}

/**
 * Delivers to an asynchronous invocation's destination or dead-letter target, by ARN: an SQS queue (SendMessage),
 * an SNS topic (Publish) or a Lambda function (an Event invocation with the body as its event).
 */
export interface DestinationSender {
  send(targetArn: string, body: string, attributes?: Record<string, DestinationAttribute>): Promise<void>;
  /** Whether the queue, topic or function exists; configurations naming a missing one are refused. */
  exists?(targetArn: string): Promise<boolean>;
}
