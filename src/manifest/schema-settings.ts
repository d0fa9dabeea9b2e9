/**
 * Resource settings the services already accept and flint.yaml passes through (issue 13): a table's TTL attribute,
 * stream view type and global secondary indexes; a queue's retention, delay and maximum message size; a topic's
 * FIFO flag and its SNS→SQS subscriptions with filter policies; EventBridge buses. Ranges are the services' own
 * (DynamoDB UpdateTimeToLive/UpdateTable, SQS SetQueueAttributes, SNS SetSubscriptionAttributes).
 */
import { z } from 'zod';
import { intIn, isRecord, namePattern, strictObject } from './fields.js';
import { BUS_NAME, DEFAULT_BUS } from './schema-streams.js';

export const STREAM_VIEW_TYPES = ['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY'] as const;
export const PROJECTIONS = ['ALL', 'KEYS_ONLY'] as const;
/** DynamoDB index names: 3 to 255 of [a-zA-Z0-9_.-]. */
const INDEX_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
/** DynamoDB's default quota of global secondary indexes per table. */
const MAX_INDEXES = 20;
/** DynamoDB's limit on non-key attributes projected into the indexes of a table. */
const MAX_PROJECTED = 100;
/** SQS queue names, as schema-resources.ts has them (repeated to keep this file free of a cycle). */
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}(\.fifo)?$/;

export const FILTER_POLICY_SCOPES = ['MessageAttributes', 'MessageBody'] as const;

function keyOf() {
  return strictObject({
    name: z.string({ error: 'expected an attribute name' }).min(1).max(255),
    type: z.enum(['S', 'N', 'B'], { error: 'expected S (string), N (number) or B (binary)' }),
  });
}

const projection = z.union(
  [
    z.enum(PROJECTIONS),
    z.array(z.string({ error: 'expected an attribute name' }).min(1), { error: 'expected a list of attribute names' }).min(1).max(MAX_PROJECTED),
  ],
  { error: 'expected ALL, KEYS_ONLY or a list of attribute names (INCLUDE)' },
);

const index = strictObject({
  hashKey: keyOf(),
  rangeKey: keyOf().optional(),
  projection: projection.optional().meta({ default: 'ALL' }),
});

/** Extra fields of a table under resources.tables. */
export const tableOptions = {
  ttl: z.string({ error: 'expected the name of a Number attribute holding the expiry in epoch seconds' }).min(1).max(255).optional()
    .meta({ description: 'Time to live: items are deleted after the epoch second this attribute holds.' }),
  stream: z.enum(STREAM_VIEW_TYPES, { error: `expected a stream view type, one of ${STREAM_VIEW_TYPES.join(', ')}` }).optional()
    .meta({ description: 'Enables the table stream with this view type (a dynamodb event enables NEW_AND_OLD_IMAGES when none is given).' }),
  indexes: z.record(namePattern(INDEX_NAME, 'an index name'), index, { error: 'expected a map of index names to keys' }).optional()
    .refine((all) => all === undefined || Object.keys(all).length <= MAX_INDEXES, { error: `expected at most ${MAX_INDEXES} indexes` })
    .meta({ description: 'Global secondary indexes, created, changed and removed with the manifest.' }),
};

type KeyInput = { name: string; type: string } | undefined;

/** An attribute that keys both the table and an index (or two indexes) has one type. */
export function checkTableAttributes(table: unknown, ctx: z.RefinementCtx): void {
  if (!isRecord(table) || !isRecord(table.indexes)) return;
  const types = new Map<string, string>();
  const note = (key: unknown) => {
    if (isRecord(key) && typeof key.name === 'string' && typeof key.type === 'string' && !types.has(key.name)) types.set(key.name, key.type);
  };
  note(table.hashKey);
  note(table.rangeKey);
  for (const [name, gsi] of Object.entries(table.indexes)) {
    if (!isRecord(gsi)) continue;
    for (const field of ['hashKey', 'rangeKey'] as const) {
      const key = gsi[field] as KeyInput;
      if (!isRecord(key)) continue;
      const known = types.get(key.name);
      if (known !== undefined && known !== key.type) {
        ctx.addIssue({ code: 'custom', path: ['indexes', name, field, 'type'], message: `attribute '${key.name}' is already a key of type ${known}; one attribute has one type` });
      }
      note(key);
    }
  }
}

/** Extra fields of a queue under resources.queues. */
export const queueOptions = {
  retention: intIn(60, 1_209_600).optional().meta({ default: 345_600, description: 'MessageRetentionPeriod in seconds (1 minute to 14 days).' }),
  delay: intIn(0, 900).optional().meta({ default: 0, description: 'DelaySeconds: new messages stay invisible this long.' }),
  maxMessageSize: intIn(1024, 1_048_576).optional().meta({ default: 1_048_576, description: 'MaximumMessageSize in bytes.' }),
};

const subscription = strictObject({
  queue: namePattern(QUEUE_NAME, 'a queue name').meta({ description: 'A queue under resources.queues that gets the topic\'s messages.' }),
  filterPolicy: z.record(z.string(), z.unknown(), { error: 'expected a filter policy: a map such as { kind: [order] }' }).optional()
    .meta({ description: 'Only messages this SNS filter policy matches are delivered.' }),
  filterPolicyScope: z.enum(FILTER_POLICY_SCOPES, { error: 'expected MessageAttributes or MessageBody' }).optional()
    .meta({ default: 'MessageAttributes', description: 'What the filter policy is matched against.' }),
  rawMessageDelivery: z.boolean({ error: 'expected true or false' }).optional()
    .meta({ default: false, description: 'Deliver the message body as it was published, without the SNS envelope.' }),
}).superRefine((s, ctx) => {
  if (s.filterPolicyScope !== undefined && s.filterPolicy === undefined) ctx.addIssue({ code: 'custom', path: ['filterPolicyScope'], message: 'filterPolicyScope needs a filterPolicy' });
});

/** A topic under resources.topics: `name:` with nothing after it, or its settings. */
export const topicSettings = strictObject({
  fifo: z.boolean({ error: 'expected true or false' }).optional().meta({ description: 'Default: true when the name ends with .fifo.' }),
  subscriptions: z.array(subscription, { error: 'expected a list of subscriptions' }).optional()
    .meta({ description: 'SNS→SQS subscriptions of queues under resources.queues.' }),
}).nullable();

type TopicInput = z.output<typeof topicSettings>;

export function isFifoTopic(name: string, settings: TopicInput | undefined): boolean {
  return settings?.fifo ?? name.endsWith('.fifo');
}

/** A FIFO topic's name ends with .fifo (as SNS requires), and its subscribed queues are FIFO queues. */
export function checkTopic(name: string, settings: unknown, queues: Record<string, unknown>, ctx: z.RefinementCtx, at: PropertyKey[]): void {
  const parsed = topicSettings.safeParse(settings);
  if (!parsed.success) return;
  const fifo = isFifoTopic(name, parsed.data);
  if (fifo !== name.endsWith('.fifo')) {
    ctx.addIssue({ code: 'custom', path: [...at, 'fifo'], message: fifo ? "a FIFO topic's name must end with .fifo" : `a topic named ${name} must be FIFO` });
  }
  const names = Object.keys(queues);
  for (const [i, s] of (parsed.data?.subscriptions ?? []).entries()) {
    const where = [...at, 'subscriptions', i, 'queue'];
    if (!names.includes(s.queue)) {
      ctx.addIssue({ code: 'custom', path: where, message: `no queue '${s.queue}' under resources.queues${names.length > 0 ? ` (declared: ${names.join(', ')})` : ''}` });
    } else if (!fifo && s.queue.endsWith('.fifo')) {
      ctx.addIssue({ code: 'custom', path: where, message: `a FIFO queue subscribes only to a FIFO topic; make the topic ${name}.fifo` });
    }
  }
}

/** `resources.buses: { orders: null }`: custom EventBridge buses ("default" always exists). */
export const busesSchema = z
  .record(namePattern(BUS_NAME, 'a bus name'), strictObject({}).nullable(), { error: 'expected a map of bus names' })
  .superRefine((all, ctx) => {
    if (DEFAULT_BUS in all) ctx.addIssue({ code: 'custom', path: [DEFAULT_BUS], message: 'the default bus always exists; declare only custom buses' });
  })
  .meta({ description: 'Custom EventBridge buses; eventBridge events name them with bus:.' });
