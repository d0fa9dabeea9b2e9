/** The `resources` part of flint.yaml: tables, buckets, queues and topics the app declares. */
import { z } from 'zod';
import { ALWAYS, intIn, isRecord, namePattern, strictObject } from './fields.js';
import { busesSchema, checkTableAttributes, checkTopic, queueOptions, tableOptions, topicSettings } from './schema-settings.js';
import { parametersSchema, secretsSchema } from './schema-config.js';

export const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
export const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
export const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}(\.fifo)?$/;
export const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

export const KEY_TYPES = ['S', 'N', 'B'] as const;
export const QUEUE_DEFAULTS = { visibilityTimeout: 30, maxReceiveCount: 10 } as const;

const key = strictObject({
  name: z.string({ error: 'expected an attribute name' }).min(1).max(255),
  type: z.enum(KEY_TYPES, { error: 'expected S (string), N (number) or B (binary)' }),
});

const table = strictObject({ hashKey: key, rangeKey: key.optional(), ...tableOptions }).superRefine((t: unknown, ctx) => checkTableAttributes(t, ctx), ALWAYS);

/** `raw-images:` with nothing after it is a bucket with default settings. */
const noSettings = strictObject({}).nullable();

const deadLetter = strictObject({
  queue: namePattern(QUEUE_NAME, 'a queue name'),
  maxReceiveCount: intIn(1, 1000).optional().meta({ default: QUEUE_DEFAULTS.maxReceiveCount }),
});

const queue = strictObject({
  fifo: z.boolean({ error: 'expected true or false' }).optional().meta({ description: 'Default: true when the name ends with .fifo.' }),
  visibilityTimeout: intIn(0, 43_200).optional().meta({ default: QUEUE_DEFAULTS.visibilityTimeout, description: 'Seconds.' }),
  deadLetter: deadLetter.optional(),
  ...queueOptions,
}).nullable();

type QueueInput = z.output<typeof queue>;

const queues = z
  .record(namePattern(QUEUE_NAME, 'a queue name'), queue, { error: 'expected a map of queue names to settings' })
  .superRefine((all, ctx) => {
    for (const [name, settings] of Object.entries(all)) {
      for (const { field, message } of queueProblems(name, settings, all)) ctx.addIssue({ code: 'custom', path: [name, ...field], message });
    }
  });

export function isFifoQueue(name: string, settings: QueueInput | undefined): boolean {
  return settings?.fifo ?? name.endsWith('.fifo');
}

function queueProblems(name: string, settings: QueueInput, all: Record<string, QueueInput>): { field: string[]; message: string }[] {
  const fifo = isFifoQueue(name, settings);
  if (fifo !== name.endsWith('.fifo')) {
    return [{ field: ['fifo'], message: fifo ? `a FIFO queue's name must end with .fifo` : `a queue named ${name} must be FIFO` }];
  }
  const target = settings?.deadLetter?.queue;
  if (target === undefined) return [];
  const where = ['deadLetter', 'queue'];
  if (target === name) return [{ field: where, message: 'a queue cannot be its own dead-letter queue' }];
  if (!(target in all)) return [{ field: where, message: `no queue '${target}' under resources.queues (declared: ${Object.keys(all).join(', ')})` }];
  if (isFifoQueue(target, all[target]) !== fifo) return [{ field: where, message: `dead-letter queue '${target}' must be ${fifo ? 'a FIFO' : 'a standard'} queue like '${name}'` }];
  return [];
}

export const resourcesSchema = strictObject({
  tables: z.record(namePattern(TABLE_NAME, 'a table name'), table, { error: 'expected a map of table names to keys' }).optional(),
  buckets: z.record(namePattern(BUCKET_NAME, 'a bucket name'), noSettings, { error: 'expected a map of bucket names' }).optional(),
  queues: queues.optional(),
  topics: z.record(namePattern(TOPIC_NAME, 'a topic name'), topicSettings, { error: 'expected a map of topic names' }).optional(),
  buses: busesSchema.optional(),
  parameters: parametersSchema.optional().meta({ description: 'SSM Parameter Store parameters, created at deploy: { "/app/name": { type, value, description? } }.' }),
  secrets: secretsSchema.optional().meta({ description: 'Secrets Manager secrets, created at deploy: { name: { value? | generate: true, description? } }.' }),
}).superRefine((resources: unknown, ctx) => {
  if (!isRecord(resources) || !isRecord(resources.topics)) return;
  const queues = isRecord(resources.queues) ? resources.queues : {};
  for (const [name, settings] of Object.entries(resources.topics)) checkTopic(name, settings, queues, ctx, ['topics', name]);
}, ALWAYS);

