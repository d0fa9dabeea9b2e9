/** Records SNS keeps, the messages it fans out, and the hooks the platform implements for delivery. */

/**
 * Protocols Flint delivers to. Email, SMS and mobile (application) deliveries never leave the machine: they are
 * recorded for the user to read back. Firehose is refused at Subscribe.
 */
export const PROTOCOLS = ['http', 'https', 'sqs', 'lambda', 'email', 'email-json', 'sms', 'application'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** Protocols whose deliveries are recorded rather than sent. */
export const RECORDED_PROTOCOLS: ReadonlySet<Protocol> = new Set(['email', 'email-json', 'sms', 'application']);

/** Every protocol string AWS accepts, so an unknown one gets AWS's error and a known-but-absent one Flint's. */
export const AWS_PROTOCOLS = ['http', 'https', 'email', 'email-json', 'sms', 'sqs', 'application', 'lambda', 'firehose'] as const;

export interface TopicRecord {
  arn: string;
  name: string;
  /** Attributes as the user set them (DisplayName, Policy, DeliveryPolicy, FifoTopic, ...); computed ones are added on read. */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  subscriptionsDeleted: number;
  /** PutDataProtectionPolicy's document, as given (not one of the topic's attributes). */
  dataProtectionPolicy?: string;
}

export interface SubscriptionRecord {
  arn: string;
  topicArn: string;
  protocol: Protocol;
  endpoint: string;
  owner: string;
  /** RawMessageDelivery, FilterPolicy, FilterPolicyScope, DeliveryPolicy, RedrivePolicy, SubscriptionRoleArn. */
  attributes: Record<string, string>;
  pending: boolean;
  confirmationWasAuthenticated: boolean;
  /** The confirmation token of an http(s) subscription; kept so a repeated ConfirmSubscription is idempotent. */
  token?: string;
  /** Scheme, host and port the subscriber used, for the SubscribeURL and UnsubscribeURL in what SNS sends. */
  baseUrl: string;
}

/** A message attribute as Publish receives it; BinaryValue is base64 so records stay JSON. */
export interface MessageAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

export type MessageAttributes = Record<string, MessageAttribute>;

/** One accepted publish, before it is shaped for each subscriber. */
export interface PublishedMessage {
  messageId: string;
  topicArn: string;
  /** The Message parameter, or per-protocol texts when MessageStructure is json (always with "default"). */
  message: string | Record<string, string>;
  subject?: string;
  attributes: MessageAttributes;
  /** Epoch ms of acceptance, shown as Timestamp. */
  timestamp: number;
  messageGroupId?: string;
  messageDeduplicationId?: string;
  sequenceNumber?: string;
}

/** An SQS message attribute as the platform's queue service takes it. */
export interface QueueMessageAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

/**
 * Where SNS hands messages for the `lambda` and `sqs` protocols; the platform implements it.
 *
 * A rejection is retried with SNS's policy for AWS-managed endpoints (immediately 3 times, then backing off to every
 * 20 seconds), except a FlintError with code FUNCTION_NOT_FOUND or NOT_FOUND: that is a client-side error (the
 * function or queue is gone), which SNS does not retry, as AWS does not.
 */
export interface SnsTargets {
  /** Invokes the function asynchronously (invocation type Event) with an SNS event; resolves once accepted. */
  invokeFunction(functionArn: string, event: SnsLambdaEvent): Promise<void>;
  /** Sends one message to the queue; `fifo` is set when a FIFO topic delivers to a FIFO queue. */
  sendToQueue(queueArn: string, body: string, attributes?: Record<string, QueueMessageAttribute>, fifo?: { messageGroupId: string; messageDeduplicationId: string }): Promise<void>;
}

export interface SnsLambdaEvent {
  Records: {
    EventSource: 'aws:sns';
    EventVersion: '1.0';
    EventSubscriptionArn: string;
    Sns: {
      Type: string;
      MessageId: string;
      TopicArn: string;
      Subject: string | null;
      Message: string;
      Timestamp: string;
      SignatureVersion: string;
      Signature: string;
      SigningCertUrl: string;
      UnsubscribeUrl: string;
      MessageAttributes: Record<string, { Type: string; Value: string }>;
    };
  }[];
}

/** What other subsystems pass to the in-process publish (S3 notifications, the platform). */
export interface PublishInput {
  topicArn: string;
  message: string;
  subject?: string;
  messageAttributes?: MessageAttributes;
  messageGroupId?: string;
  messageDeduplicationId?: string;
}

export interface PublishResult {
  messageId: string;
  sequenceNumber?: string;
}
