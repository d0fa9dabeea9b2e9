import { bufferBody, requestId, type Timer } from '../../../core/index.js';
import type { BucketInfo, DeleteResult } from '../../../storage/index.js';
import { hostIdOf, type S3Call } from '../call.js';
import { handOverEvents, type S3Deps } from '../context.js';
import { lifecycleRules } from './lifecycle.js';
import { expiryOf, prefixOf, type StoredRule } from './lifecycle-rules.js';

/** How often the node looks for expired objects, on its clock. S3 itself runs lifecycle about once a day. */
export const LIFECYCLE_INTERVAL_MS = 60 * 60 * 1000;
const PAGE = 1000;

/**
 * Lifecycle expiration executed on the node's clock: every interval, each bucket with a lifecycle configuration is
 * listed under its rules' prefixes and each object past its expiry is deleted through the objects store, with S3's
 * s3:LifecycleExpiration:Delete event for the bucket's notification configuration.
 */
export class LifecycleSweeper {
  private timer: Timer | undefined;
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly deps: S3Deps,
    private readonly intervalMs = LIFECYCLE_INTERVAL_MS,
  ) {}

  start(): void {
    this.closed = false;
    this.schedule();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.timer?.cancel();
    await this.running;
  }

  /** One pass over every bucket; resolves when it is done. */
  async sweep(): Promise<void> {
    for (const bucket of await this.deps.objects.listBuckets()) {
      if (this.closed) return;
      const rules = lifecycleRules(bucket.configs)?.filter((rule) => rule.Status === 'Enabled' && rule.Expiration !== undefined);
      if (rules?.length) await this.sweepBucket(bucket, rules);
    }
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = this.deps.clock.setTimer(this.intervalMs, () => {
      this.running = this.sweep()
        .catch((error: unknown) => this.deps.logger.error('S3 lifecycle sweep failed', { error: String(error) }))
        .finally(() => {
          this.running = undefined;
          this.schedule();
        });
    });
  }

  private async sweepBucket(bucket: BucketInfo, rules: StoredRule[]): Promise<void> {
    for (const prefix of new Set(rules.map(prefixOf))) {
      let after: string | undefined;
      for (;;) {
        const page = await this.deps.objects.listObjects(bucket.name, { prefix, after, limit: PAGE });
        for (const object of page.objects) {
          const now = this.deps.clock.now();
          if (rules.some((rule) => (expiryOf(rule, object, undefined) ?? Infinity) <= now)) await this.expire(bucket, object.key, object.etag);
        }
        if (!page.truncated || page.objects.length === 0 || this.closed) break;
        after = page.objects.at(-1)!.key;
      }
    }
  }

  /** Deletes the object if it is still the version that expired (a newer write starts its own lifetime). */
  private async expire(bucket: BucketInfo, key: string, etag: string): Promise<void> {
    const current = await this.deps.objects.getObject(bucket.name, key);
    if (!current || current.etag !== etag) return;
    const call = lifecycleCall(bucket.name, key);
    const plan = this.deps.notifier.plan<DeleteResult>(bucket, call, 'LifecycleExpiration:Delete', key);
    const { deleted } = await this.deps.objects.deleteObject(bucket.name, key, { outbox: plan?.outbox });
    if (deleted) await handOverEvents(this.deps, plan);
  }
}

/** The call an expiration is recorded as: S3 itself, not a client request. */
function lifecycleCall(bucket: string, key: string): S3Call {
  const id = requestId();
  return {
    method: 'DELETE',
    address: { bucket, key, virtualHost: false },
    query: new URLSearchParams(),
    headers: {},
    body: bufferBody(),
    requestId: id,
    hostId: hostIdOf(id),
    baseUrl: '',
    sourceIp: 's3.amazonaws.com',
  };
}
