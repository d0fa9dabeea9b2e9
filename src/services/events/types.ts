import type { Clock, Logger } from '../../core/index.js';
import type { EventPattern } from '../../events/index.js';
import type { MetadataStore, QueueStore } from '../../storage/index.js';
import type { Scope } from './arns.js';
import type { RuleRecord } from './records.js';
import type { EventsState } from './state.js';

/** Where deliveries go: the node's functions, queues, topics. Each resolves once the hand-over is durable. */
export interface EventTargets {
  /** An asynchronous (Event) invocation with the payload as given. */
  invokeFunction(functionArn: string, payload: string): Promise<void>;
  sendToQueue(queueArn: string, body: string, options?: { messageGroupId?: string; deduplicationId?: string; attributes?: Record<string, { DataType: string; StringValue: string }> }): Promise<void>;
  publishToTopic(topicArn: string, message: string): Promise<void>;
}

/** What the handlers share. */
export interface EventsContext {
  scope: Scope;
  state: EventsState;
  metadata: MetadataStore;
  queues: QueueStore;
  clock: Clock;
  logger: Logger;
  /** Compiled patterns by their text, so PutEvents compiles a rule's pattern once. */
  pattern(text: string): EventPattern;
  /** New deliveries were stored: start them now. */
  delivered(): void;
  /** A rule was created, changed or deleted: re-arm its schedule. */
  ruleChanged(rule: RuleRecord | undefined, key: string): void;
}
