import type { Clock, Logger } from '../../core/index.js';
import type { EnqueueItem, MetadataStore } from '../../storage/index.js';
import type { Scope } from './arns.js';
import type { FilterCache } from './filter-cache.js';
import type { MessageSigner } from './signing.js';
import type { SnsState } from './state.js';

/** What every SNS operation works with. */
export interface SnsContext {
  scope: Scope;
  state: SnsState;
  metadata: MetadataStore;
  clock: Clock;
  logger: Logger;
  filters: FilterCache;
  /** Durably stores delivery items (resolving once stored) and wakes the dispatcher. */
  enqueue(items: EnqueueItem[]): Promise<void>;
  /** Wakes the dispatcher for delivery items stored some other way (with a FIFO deduplication record). */
  delivered(): void;
  /** Base URL for SubscribeURL/UnsubscribeURL when no request tells which host the client used. */
  defaultBaseUrl: string;
  /** The node's message signer (its key is made and stored on first use). */
  signer(): Promise<MessageSigner>;
}

/** What an operation's handler works with: SNS's state and the facts of the request the call came in. */
export interface SnsCall {
  sns: SnsContext;
  caller: Caller;
}

/** Facts about the HTTP request an operation came in, where they change what SNS does. */
export interface Caller {
  baseUrl: string;
  /** SigV4-signed (by the endpoint's owner, as far as Flint can tell) rather than a bare URL visit. */
  signed: boolean;
}

/** Paging tokens are opaque to clients; inside they are the last key of the previous page. */
export function encodeToken(lastKey: string): string {
  return Buffer.from(lastKey).toString('base64url');
}

export function decodeToken(token: string | undefined): string | undefined {
  return token === undefined || token === '' ? undefined : Buffer.from(token, 'base64url').toString('utf8');
}
