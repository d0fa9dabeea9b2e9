import { z } from 'zod';
import { retryPolicySchema } from './delivery-policy.js';

/**
 * One durable work item per delivery, in the `sns-deliveries` queue. Each is self-contained (the exact bytes to
 * send), so a retry after a restart sends what the first attempt would have sent.
 */
export const DELIVERY_QUEUE = 'sns-deliveries';

const attribute = z.object({ DataType: z.string(), StringValue: z.string().optional(), BinaryValue: z.string().optional() });

/** Where a delivery goes when it fails for good: the subscription's RedrivePolicy dead-letter queue. */
const deadLetter = z.object({ queueArn: z.string(), body: z.string(), attributes: z.record(z.string(), attribute).optional() });

/** A delivery that never leaves the machine (SMS, email, mobile push), kept for the user to read back. */
export const recordedDeliverySchema = z.object({
  id: z.string(),
  protocol: z.string(),
  /** The phone number, email address or platform endpoint ARN. */
  endpoint: z.string(),
  type: z.string(),
  messageId: z.string(),
  topicArn: z.string().optional(),
  subscriptionArn: z.string().optional(),
  subject: z.string().optional(),
  /** What the recipient would get: the SMS text, the email body, the email-json or push payload. */
  message: z.string(),
  attributes: z.record(z.string(), z.string()).optional(),
  /** ISO time of acceptance. */
  timestamp: z.string(),
});

export type RecordedDelivery = z.infer<typeof recordedDeliverySchema>;

const common = {
  subscriptionArn: z.string(),
  /** Notifications go only to subscriptions that still exist; confirmations go regardless. */
  requireSubscription: z.boolean(),
  deadLetter: deadLetter.optional(),
  /** FIFO topics: deliveries with the same key are made one after another, in the order they were claimed. */
  orderingKey: z.string().optional(),
};

export const deliveryItemSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('sqs'),
    ...common,
    queueArn: z.string(),
    body: z.string(),
    attributes: z.record(z.string(), attribute).optional(),
    fifo: z.object({ messageGroupId: z.string(), messageDeduplicationId: z.string() }).optional(),
  }),
  z.object({ kind: z.literal('lambda'), ...common, functionArn: z.string(), event: z.record(z.string(), z.unknown()) }),
  z.object({ kind: z.literal('http'), ...common, url: z.string(), headers: z.record(z.string(), z.string()), body: z.string(), retry: retryPolicySchema }),
  z.object({ kind: z.literal('record'), ...common, delivery: recordedDeliverySchema }),
  /** Ends a FIFO deduplication window (enqueued with a delay when the message is accepted). */
  z.object({ kind: z.literal('forget-dedup'), key: z.string(), expiresAt: z.number() }),
]);

export type DeliveryItem = z.infer<typeof deliveryItemSchema>;
export type EndpointDelivery = Exclude<DeliveryItem, { kind: 'forget-dedup' }>;
export type DeadLetter = z.infer<typeof deadLetter>;
