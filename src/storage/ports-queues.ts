/** Durable work queues (the async invocation queue, SNS deliveries, outboxes). */

export interface QueueItem {
  id: string;
  queue: string;
  body: string;
  /** Bytes stored beside the body as they are (an invocation's event), so they need no encoding into it. */
  payload?: Buffer;
  /** Epoch ms when it was first accepted. */
  enqueuedAt: number;
  /** How many times it has been claimed, this claim included. */
  attempts: number;
}

export interface Lease {
  item: QueueItem;
  /** Proof of the claim; ack/release/extend need it so a stale worker cannot touch a reclaimed item. */
  token: string;
  leaseUntil: number;
}

export interface EnqueueItem {
  /** Caller-chosen id, kept stable across retries so handlers can be idempotent; generated if absent. */
  id?: string;
  body: string;
  payload?: Uint8Array;
  delayMs?: number;
}

/**
 * Work a write makes necessary, committed in the write's own transaction (an outbox): the items land in the named
 * durable queue exactly when the write does, so a crash cannot keep one and lose the other. `items` is called
 * inside the transaction with the write's result (its sequence number, ETag...); it must not do I/O.
 */
export interface Outbox<R> {
  queue: string;
  items(result: R): EnqueueItem[];
}

export interface QueueCounts {
  available: number;
  leased: number;
  delayed: number;
}

/**
 * Durable work queues for async delivery (at least once). An item is invisible while leased; a lease that
 * expires makes it claimable again, so a dead worker's work is redelivered.
 */
export interface QueueStore {
  /**
   * Durably stores items before resolving; returns their ids, in order. An id that is still in the queue is
   * not stored again (its body is left as it was) and is returned as is, so a retried accept is idempotent.
   */
  enqueue(queue: string, items: EnqueueItem[]): Promise<string[]>;
  /**
   * Claims up to `max` items that are due and not leased (or whose lease expired), oldest first: in the order
   * they became due (enqueue time plus delay, release time plus delay, lease expiry), ties in enqueue order.
   */
  claim(queue: string, options: { max: number; leaseMs: number }): Promise<Lease[]>;
  /**
   * Deletes a claimed item. False if the token no longer holds the lease. A token holds until the item is
   * acked, released or claimed again: a late ack after expiry still succeeds if nobody reclaimed the item.
   */
  ack(queue: string, id: string, token: string): Promise<boolean>;
  /** Ends a lease early; the item becomes due again after `delayMs`. */
  release(queue: string, id: string, token: string, delayMs?: number): Promise<boolean>;
  /** Pushes a held lease's expiry to now + leaseMs. */
  extend(queue: string, id: string, token: string, leaseMs: number): Promise<boolean>;
  /**
   * Epoch ms when the next item becomes claimable (at or before now if one is claimable already; a leased
   * item counts at its lease expiry), or undefined if the queue is empty.
   */
  nextDue(queue: string): Promise<number | undefined>;
  /** available: due and not leased (expired leases included); leased: lease not expired; delayed: not yet due. */
  counts(queue: string): Promise<QueueCounts>;
  /** Deletes every item, leased ones included; returns how many went. */
  purge(queue: string): Promise<number>;
}
