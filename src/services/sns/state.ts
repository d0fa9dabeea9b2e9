import { isFlintError } from '../../core/index.js';
import type { MetadataStore, Outbox } from '../../storage/index.js';
import type { RecordedDelivery } from './delivery-items.js';
import type { SubscriptionRecord, TopicRecord } from './types.js';

/**
 * Topics and subscriptions as small documents in the metadata store. Keys are ARNs, and a subscription's ARN
 * starts with its topic's ARN and a colon, so the subscriptions of a topic are one prefix scan.
 */
const TOPICS = 'sns-topics';
const SUBSCRIPTIONS = 'sns-subscriptions';
const TOKENS = 'sns-tokens';
const DEDUP = 'sns-dedup';
/** SMS, email and mobile deliveries, kept for the user to read back (keyed by time, so they list in order). */
const RECORDED = 'sns-recorded';

/** A FIFO publish remembered for the deduplication window. */
export interface DedupRecord {
  messageId: string;
  sequenceNumber: string;
  expiresAt: number;
}

/** Writers that lose a compare-and-set race retry this often before giving up with RESOURCE_CONFLICT. */
const CAS_ATTEMPTS = 8;

export class SnsState {
  constructor(private readonly metadata: MetadataStore) {}

  async topic(arn: string): Promise<TopicRecord | undefined> {
    return (await this.metadata.get<TopicRecord>(TOPICS, arn))?.value;
  }

  /** Creates the topic unless one exists; returns the stored record either way. */
  async createTopic(topic: TopicRecord): Promise<{ topic: TopicRecord; created: boolean }> {
    try {
      await this.metadata.put(TOPICS, topic.arn, topic, { ifRevision: 0 });
      return { topic, created: true };
    } catch (error) {
      const existing = isFlintError(error, 'PRECONDITION_FAILED') ? await this.topic(topic.arn) : undefined;
      if (!existing) throw error;
      return { topic: existing, created: false };
    }
  }

  /** Read-modify-write of a topic; resolves undefined when the topic does not exist. */
  updateTopic(arn: string, change: (topic: TopicRecord) => TopicRecord): Promise<TopicRecord | undefined> {
    return this.update(TOPICS, arn, change);
  }

  async deleteTopic(arn: string): Promise<void> {
    await this.metadata.delete(TOPICS, arn);
  }

  async topics(after: string | undefined, limit: number): Promise<TopicRecord[]> {
    return (await this.metadata.list<TopicRecord>(TOPICS, { after, limit })).map((doc) => doc.value);
  }

  async subscription(arn: string): Promise<SubscriptionRecord | undefined> {
    return (await this.metadata.get<SubscriptionRecord>(SUBSCRIPTIONS, arn))?.value;
  }

  async putSubscription(subscription: SubscriptionRecord): Promise<void> {
    await this.metadata.put(SUBSCRIPTIONS, subscription.arn, subscription);
    if (subscription.token) await this.metadata.put(TOKENS, subscription.token, { subscriptionArn: subscription.arn });
  }

  updateSubscription(arn: string, change: (subscription: SubscriptionRecord) => SubscriptionRecord): Promise<SubscriptionRecord | undefined> {
    return this.update(SUBSCRIPTIONS, arn, change);
  }

  async deleteSubscription(subscription: SubscriptionRecord): Promise<boolean> {
    if (subscription.token) await this.metadata.delete(TOKENS, subscription.token);
    return this.metadata.delete(SUBSCRIPTIONS, subscription.arn);
  }

  /** All subscriptions, or those of one topic, in ARN order after `after`. */
  async subscriptions(options: { topicArn?: string; after?: string; limit?: number } = {}): Promise<SubscriptionRecord[]> {
    const prefix = options.topicArn === undefined ? undefined : `${options.topicArn}:`;
    const docs = await this.metadata.list<SubscriptionRecord>(SUBSCRIPTIONS, { prefix, after: options.after, limit: options.limit });
    return docs.map((doc) => doc.value);
  }

  async subscriptionByToken(token: string): Promise<SubscriptionRecord | undefined> {
    const link = await this.metadata.get<{ subscriptionArn: string }>(TOKENS, token);
    return link && this.subscription(link.value.subscriptionArn);
  }

  /**
   * Records a FIFO deduplication id unless a live record holds it; returns that earlier record when one does.
   * Compare-and-set, so two publishes racing with one id cannot both win. `outbox` commits with the record (the
   * message's delivery items), so a crash cannot leave an id claimed by a message nobody will get.
   */
  async claimDedup(key: string, record: DedupRecord, now: number, outbox?: Outbox<number>): Promise<DedupRecord | undefined> {
    for (let attempt = 1; ; attempt++) {
      const doc = await this.metadata.get<DedupRecord>(DEDUP, key);
      if (doc && doc.value.expiresAt > now) return doc.value;
      try {
        await this.metadata.put(DEDUP, key, record, { ifRevision: doc?.revision ?? 0, outbox });
        return undefined;
      } catch (error) {
        if (!isFlintError(error, 'PRECONDITION_FAILED') || attempt >= CAS_ATTEMPTS) throw error;
      }
    }
  }

  /** Forgets a dedup entry unless it was renewed after `expiresAt`. */
  async forgetDedup(key: string, expiresAt: number): Promise<void> {
    const doc = await this.metadata.get<DedupRecord>(DEDUP, key);
    if (doc && doc.value.expiresAt <= expiresAt) await this.metadata.delete(DEDUP, key, { ifRevision: doc.revision }).catch(() => false);
  }

  /** Keeps a recorded delivery; recording the same delivery again (a retried item) overwrites it. */
  async recordDelivery(delivery: RecordedDelivery): Promise<void> {
    await this.metadata.put(RECORDED, `${delivery.timestamp}|${delivery.id}`, delivery);
  }

  /** Recorded deliveries, oldest first. */
  async recordedDeliveries(): Promise<RecordedDelivery[]> {
    return (await this.metadata.list<RecordedDelivery>(RECORDED)).map((doc) => doc.value);
  }

  private async update<T>(collection: string, key: string, change: (value: T) => T): Promise<T | undefined> {
    for (let attempt = 1; ; attempt++) {
      const doc = await this.metadata.get<T>(collection, key);
      if (!doc) return undefined;
      const next = change(doc.value);
      try {
        await this.metadata.put(collection, key, next, { ifRevision: doc.revision });
        return next;
      } catch (error) {
        if (!isFlintError(error, 'PRECONDITION_FAILED') || attempt >= CAS_ATTEMPTS) throw error;
      }
    }
  }
}
