import { FlintError } from '../../core/index.js';
import type { DeadLetterTarget, MessageStore } from '../../storage/index.js';
import { checkQueueName } from './names.js';
import { initialAttributes, SECONDS } from './queue-attributes.js';
import { sameTarget } from './redrive.js';

/** A queue as flint.yaml declares it. */
export interface QueueSpec {
  name: string;
  fifo: boolean;
  /** Seconds, 0 to 43200. */
  visibilityTimeout: number;
  deadLetter?: { queue: string; maxReceiveCount: number };
  /** MessageRetentionPeriod, DelaySeconds and MaximumMessageSize; a setting left out is SQS's default. */
  retention?: number;
  delay?: number;
  maxMessageSize?: number;
}

const MAX_VISIBILITY_SECONDS = 43_200;
const MAX_RECEIVE_COUNT = 1000;

/**
 * Makes a declared queue exist with the declared settings: creates it (and a missing dead-letter queue, with
 * default settings and the same type), or brings an existing one's visibility timeout, retention, delay, maximum
 * message size and redrive target in line (one left out of flint.yaml goes back to SQS's default). Other attributes
 * (policies, long polling, FIFO settings) are left as they are. Throws INVALID_PARAMETER for a bad declaration
 * or an existing queue of the other type.
 */
export async function ensureQueue(messages: MessageStore, spec: QueueSpec): Promise<{ created: boolean }> {
  checkQueueName(spec.name, spec.fifo);
  if (!Number.isInteger(spec.visibilityTimeout) || spec.visibilityTimeout < 0 || spec.visibilityTimeout > MAX_VISIBILITY_SECONDS) {
    throw new FlintError('INVALID_PARAMETER', `queue ${spec.name}: visibilityTimeout must be a whole number of seconds from 0 to ${MAX_VISIBILITY_SECONDS}`);
  }
  const deadLetter = spec.deadLetter && (await ensureDeadLetter(messages, spec));
  const declared = declaredAttributes(spec);
  const existing = await messages.getQueue(spec.name);
  if (!existing) {
    const attributes: Record<string, string> = { ...initialAttributes(spec.fifo), ...declared };
    const { created } = await messages.createQueue({
      name: spec.name,
      fifo: spec.fifo,
      retentionMs: Number(attributes.MessageRetentionPeriod) * SECONDS,
      attributes,
      tags: {},
      ...(deadLetter ? { deadLetter } : {}),
    });
    if (created) return { created };
    return ensureQueue(messages, spec);
  }
  if (existing.fifo !== spec.fifo) {
    throw new FlintError('INVALID_PARAMETER', `queue ${spec.name} exists as a ${existing.fifo ? 'FIFO' : 'standard'} queue`, { queue: spec.name });
  }
  const changed = Object.entries(declared).some(([name, value]) => existing.attributes[name] !== value);
  if (changed || !sameTarget(existing.deadLetter, deadLetter)) {
    const attributes = { ...existing.attributes, ...declared };
    await messages.updateQueue(spec.name, { attributes, retentionMs: Number(attributes.MessageRetentionPeriod) * SECONDS, deadLetter: deadLetter ?? null });
  }
  return { created: false };
}

/** The attributes flint.yaml governs, as SQS stores them; what a queue leaves out is SQS's default for a new queue. */
function declaredAttributes(spec: QueueSpec): Record<string, string> {
  const initial = initialAttributes(spec.fifo);
  const pick = (value: number | undefined, name: string, min: number, max: number): string => {
    if (value === undefined) return initial[name]!;
    if (!Number.isInteger(value) || value < min || value > max) throw new FlintError('INVALID_PARAMETER', `queue ${spec.name}: ${name} must be a whole number from ${min} to ${max}`);
    return String(value);
  };
  return {
    VisibilityTimeout: String(spec.visibilityTimeout),
    MessageRetentionPeriod: pick(spec.retention, 'MessageRetentionPeriod', 60, 1_209_600),
    DelaySeconds: pick(spec.delay, 'DelaySeconds', 0, 900),
    MaximumMessageSize: pick(spec.maxMessageSize, 'MaximumMessageSize', 1024, 1_048_576),
  };
}

async function ensureDeadLetter(messages: MessageStore, spec: QueueSpec): Promise<DeadLetterTarget> {
  const { queue, maxReceiveCount } = spec.deadLetter as DeadLetterTarget;
  if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > MAX_RECEIVE_COUNT) {
    throw new FlintError('INVALID_PARAMETER', `queue ${spec.name}: maxReceiveCount must be from 1 to ${MAX_RECEIVE_COUNT}`);
  }
  checkQueueName(queue, spec.fifo);
  const existing = await messages.getQueue(queue);
  if (existing && existing.fifo !== spec.fifo) {
    throw new FlintError('INVALID_PARAMETER', `the dead-letter queue of ${spec.name} must be a ${spec.fifo ? 'FIFO' : 'standard'} queue like it`, { queue });
  }
  if (!existing) {
    const attributes = initialAttributes(spec.fifo);
    await messages.createQueue({ name: queue, fifo: spec.fifo, retentionMs: Number(attributes.MessageRetentionPeriod) * SECONDS, attributes, tags: {} });
  }
  return { queue, maxReceiveCount };
}
