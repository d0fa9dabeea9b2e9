import { isFlintError, type Clock } from '../../core/index.js';
import type { MessageStore, ReceiptResult, ReceivedMessage, VisibilityChange } from '../../storage/index.js';
import { queueDoesNotExist } from './errors.js';
import { LongPoll } from './long-poll.js';
import type { Scope } from './names.js';
import { QueueCache, type QueueConfig } from './queue-config.js';
import { sequenceNumber } from './render.js';
import type { PreparedMessage } from './send-rules.js';

export interface EngineOptions {
  region: string;
  accountId: string;
  clock: Clock;
}

export interface SendResult {
  messageId: string;
  md5OfBody: string;
  md5OfAttributes?: string;
  md5OfSystemAttributes?: string;
  /** FIFO queues only. */
  sequenceNumber?: string;
}

export interface ReceiveRequest {
  max: number;
  visibilityMs: number;
  /** Long polling: wait up to this long for a first message. */
  waitMs: number;
}

/**
 * SQS semantics over the message store, shared by the wire API and Flint's in-process callers: cached queue
 * settings, batched sends, receives with long polling, deletes and visibility changes.
 */
export class SqsEngine {
  readonly scope: Scope;
  /** Queue settings, cached briefly for the message paths. */
  readonly settings: QueueCache;
  private readonly longPoll: LongPoll;

  constructor(
    readonly store: MessageStore,
    readonly options: EngineOptions,
  ) {
    this.scope = { region: options.region, accountId: options.accountId };
    this.settings = new QueueCache(store, options.clock);
    this.longPoll = new LongPoll(store, options.clock);
  }

  get clock(): Clock {
    return this.options.clock;
  }

  /** Stores prepared messages in one transaction; results in order. */
  async send(config: QueueConfig, prepared: PreparedMessage[]): Promise<SendResult[]> {
    const sent = await this.onQueue(config.name, () => this.store.send(config.name, prepared.map((p) => p.message)));
    return prepared.map((p, i) => {
      const stored = sent[i];
      if (!stored) throw new Error('the store answered fewer sends than it was given');
      const result: SendResult = { messageId: stored.id, md5OfBody: p.md5OfBody };
      if (p.md5OfAttributes) result.md5OfAttributes = p.md5OfAttributes;
      if (p.md5OfSystemAttributes) result.md5OfSystemAttributes = p.md5OfSystemAttributes;
      if (config.fifo) result.sequenceNumber = sequenceNumber(stored.sequence);
      return result;
    });
  }

  /** Receives at once, or waits up to waitMs for the first message, waking on sends and on Clock timers. */
  async receive(config: QueueConfig, request: ReceiveRequest): Promise<ReceivedMessage[]> {
    const name = config.name;
    const options = { max: request.max, visibilityMs: request.visibilityMs };
    if (request.waitMs <= 0) return this.onQueue(name, () => this.store.receive(name, options));
    const deadline = this.clock.now() + request.waitMs;
    for (;;) {
      const waiter = this.longPoll.listen(name);
      try {
        const received = await this.onQueue(name, () => this.store.receive(name, options));
        if (received.length > 0 || this.clock.now() >= deadline || this.longPoll.isClosed) return received;
        const next = await this.onQueue(name, () => this.store.nextVisibleAt(name));
        await waiter.wait(Math.min(deadline, next ?? deadline));
      } finally {
        waiter.cancel();
      }
    }
  }

  async delete(config: QueueConfig, receipts: string[]): Promise<ReceiptResult[]> {
    return this.onQueue(config.name, () => this.store.delete(config.name, receipts));
  }

  async changeVisibility(config: QueueConfig, changes: VisibilityChange[]): Promise<ReceiptResult[]> {
    return this.onQueue(config.name, () => this.store.changeVisibility(config.name, changes));
  }

  /** Ends pending long polls (they answer with no messages). */
  close(): void {
    this.longPoll.close();
  }

  /** Runs a store call on a queue that may have been deleted since its settings were cached. */
  async onQueue<T>(name: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (isFlintError(error, 'NOT_FOUND') && error.details.queue !== undefined) {
        this.settings.forget(name);
        throw queueDoesNotExist();
      }
      throw error;
    }
  }
}
