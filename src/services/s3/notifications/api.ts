import { requireBucket } from '../buckets.js';
import type { S3Call, S3Deps } from '../context.js';
import { readSmallBody } from '../small-body.js';
import { sendEmpty, sendXml } from '../wire.js';
import { readXml } from '../xml.js';
import { notificationConfigXml, parseNotificationConfig } from './config.js';
import { NOTIFICATION_CONFIG } from './notifier.js';

/** PutBucketNotificationConfiguration: validated as S3 does, destinations checked, then stored with the bucket. */
export async function putBucketNotification(deps: S3Deps, call: S3Call): Promise<void> {
  const bucket = await requireBucket(deps, call);
  const { root, value } = readXml(await readSmallBody(call));
  const config = parseNotificationConfig(root, value, bucket.region);
  await deps.notifier.announce(bucket.name, config, call);
  const empty = config.rules.length === 0 && !config.eventBridge;
  await deps.objects.setBucketConfig(bucket.name, NOTIFICATION_CONFIG, empty ? undefined : JSON.stringify(config));
  sendEmpty(call, 200);
}

export async function getBucketNotification(deps: S3Deps, call: S3Call): Promise<void> {
  const bucket = await requireBucket(deps, call);
  sendXml(call, 200, notificationConfigXml(deps.notifier.configOf(bucket)));
}
