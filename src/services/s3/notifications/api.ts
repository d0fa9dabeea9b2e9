import type { GetBucketNotificationConfigurationRequest, NotificationConfiguration, PutBucketNotificationConfigurationRequest } from '../api.js';
import { requireBucket } from '../buckets.js';
import type { S3Context } from '../context.js';
import { notificationConfigOutput, parseNotificationConfig } from './config.js';
import { NOTIFICATION_CONFIG } from './notifier.js';

/** PutBucketNotificationConfiguration: validated as S3 does, destinations checked, then stored with the bucket. */
export async function putBucketNotification(input: PutBucketNotificationConfigurationRequest, { deps, call }: S3Context): Promise<void> {
  const bucket = await requireBucket(deps, input.Bucket);
  const config = parseNotificationConfig(input.NotificationConfiguration, bucket.region);
  await deps.notifier.announce(bucket.name, config, call);
  const empty = config.rules.length === 0 && !config.eventBridge;
  await deps.objects.setBucketConfig(bucket.name, NOTIFICATION_CONFIG, empty ? undefined : JSON.stringify(config));
}

export async function getBucketNotification(input: GetBucketNotificationConfigurationRequest, { deps }: S3Context): Promise<NotificationConfiguration> {
  const bucket = await requireBucket(deps, input.Bucket);
  return notificationConfigOutput(deps.notifier.configOf(bucket));
}
