import type { Clock } from '../../core/index.js';
import type { MessageQueue, MessageStore } from '../../storage/index.js';
import { queueDoesNotExist } from './errors.js';
import { numberAttribute } from './queue-attributes.js';

/** A queue's settings as the message paths use them, parsed once from its stored attributes. */
export interface QueueConfig {
  name: string;
  fifo: boolean;
  /** Seconds, like the rest. */
  visibilityTimeout: number;
  delaySeconds: number;
  maximumMessageSize: number;
  receiveWaitTimeSeconds: number;
  contentBasedDeduplication: boolean;
  /** DeduplicationScope messageGroup: deduplication ids are unique per group, not per queue. */
  perGroupDeduplication: boolean;
  record: MessageQueue;
}

export function configOf(record: MessageQueue): QueueConfig {
  const attributes = record.attributes;
  return {
    name: record.name,
    fifo: record.fifo,
    visibilityTimeout: numberAttribute(attributes, 'VisibilityTimeout'),
    delaySeconds: numberAttribute(attributes, 'DelaySeconds'),
    maximumMessageSize: numberAttribute(attributes, 'MaximumMessageSize'),
    receiveWaitTimeSeconds: numberAttribute(attributes, 'ReceiveMessageWaitTimeSeconds'),
    contentBasedDeduplication: attributes.ContentBasedDeduplication === 'true',
    perGroupDeduplication: attributes.DeduplicationScope === 'messageGroup',
    record,
  };
}

/**
 * Queue settings cached for a second so the message hot paths skip the lookup. Changes made through this node
 * drop the entry at once; changes made elsewhere show within the second (SQS itself documents up to a minute).
 */
export class QueueCache {
  private readonly entries = new Map<string, { config: QueueConfig; until: number }>();

  constructor(
    private readonly store: MessageStore,
    private readonly clock: Clock,
    private readonly ttlMs = 1000,
  ) {}

  async get(name: string): Promise<QueueConfig> {
    if (name.length === 0) throw queueDoesNotExist();
    const now = this.clock.now();
    const cached = this.entries.get(name);
    if (cached && cached.until > now) return cached.config;
    const record = await this.store.getQueue(name);
    if (!record) {
      this.entries.delete(name);
      throw queueDoesNotExist();
    }
    const config = configOf(record);
    this.entries.set(name, { config, until: now + this.ttlMs });
    return config;
  }

  forget(name: string): void {
    this.entries.delete(name);
  }
}
