import type { ObjectStore } from '../../../storage/index.js';
import type { NotificationConfig, NotificationRule } from './config.js';
import { NOTIFICATION_CONFIG } from './notifier.js';

export interface FunctionNotification {
  functionArn: string;
  events: string[];
  prefix?: string;
  suffix?: string;
}

/**
 * Sets the function notifications an app declares on a bucket (flint.yaml `- s3:` events), leaving rules
 * others added through the API alone: the app's rules carry its name in their ids.
 */
export async function setAppNotifications(objects: ObjectStore, bucket: string, app: string, wanted: FunctionNotification[]): Promise<void> {
  const info = await objects.getBucket(bucket);
  if (!info) return;
  const owned = `flint-${app}-`;
  const stored = info.configs[NOTIFICATION_CONFIG];
  const current: NotificationConfig = stored ? (JSON.parse(stored) as NotificationConfig) : { rules: [], eventBridge: false };
  const rules: NotificationRule[] = current.rules.filter((rule) => !rule.id.startsWith(owned));
  wanted.forEach((n, i) => {
    const filters: NotificationRule['filters'] = [];
    if (n.prefix) filters.push({ name: 'Prefix', value: n.prefix });
    if (n.suffix) filters.push({ name: 'Suffix', value: n.suffix });
    rules.push({ id: `${owned}${i}`, kind: 'function', arn: n.functionArn, events: n.events, filters });
  });
  const config: NotificationConfig = { rules, eventBridge: current.eventBridge };
  await objects.setBucketConfig(bucket, NOTIFICATION_CONFIG, rules.length || config.eventBridge ? JSON.stringify(config) : undefined);
}
