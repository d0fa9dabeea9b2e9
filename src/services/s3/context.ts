import type { Clock, Faults, Logger } from '../../core/index.js';
import type { BucketInfo, ObjectStore } from '../../storage/index.js';
import type { Requester, S3Principals } from './access/requester.js';
import type { S3Call } from './call.js';
import type { NotificationPlan, Notifier } from './notifications/notifier.js';
import type { NotificationRelay } from './notifications/relay.js';

export { bucketOf, header, keyOf, type S3Call } from './call.js';

/** What every operation may use; built once per service. */
export interface S3Deps {
  readonly objects: ObjectStore;
  readonly region: string;
  readonly accountId: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The canonical user id S3 shows as Owner/Initiator. */
  readonly ownerId: string;
  readonly notifier: Notifier;
  /** Hands committed events to the notification sink; absent when the service has no sink. */
  readonly relay: NotificationRelay | undefined;
  readonly faults: Faults;
  /** Who signed a request with temporary credentials (the platform's identity); without it every signed request is the owner's. */
  readonly principals: S3Principals | undefined;
}

/**
 * After a write committed with its events: waits (briefly) until they had their first attempt at their destination.
 * A crash before that leaves them in the outbox, for the relay after a restart.
 */
export async function handOverEvents(deps: S3Deps, plan: NotificationPlan<unknown> | undefined): Promise<void> {
  if (!plan) return;
  deps.faults.reached('s3.events-committed');
  await deps.relay?.handOver(plan.ids);
}

/** A handler's context: the service's dependencies and the call it serves. */
export interface S3Context {
  readonly deps: S3Deps;
  readonly call: S3Call;
  /** The buckets this call looked up, read once per call (an object read and its answer's echo share one read). */
  readonly buckets: BucketLookups;
  /** Who the call acts for, resolved once (access/requester.ts). */
  readonly requester: () => Promise<Requester>;
}

/** Bucket records read at most once per call. */
export class BucketLookups {
  private readonly read = new Map<string, Promise<BucketInfo | undefined>>();

  constructor(private readonly objects: ObjectStore) {}

  get(name: string): Promise<BucketInfo | undefined> {
    let pending = this.read.get(name);
    if (!pending) {
      pending = this.objects.getBucket(name);
      this.read.set(name, pending);
    }
    return pending;
  }
}
