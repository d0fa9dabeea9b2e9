import type { Clock, Logger } from '../../core/index.js';
import type { ObjectStore } from '../../storage/index.js';
import type { S3Call } from './call.js';
import type { Notifier } from './notifications/notifier.js';

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
}

/** A handler's context: the service's dependencies and the call it serves. */
export interface S3Context {
  readonly deps: S3Deps;
  readonly call: S3Call;
}
