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
}

const MAX_VISIBILITY_SECONDS = 43_200;
const MAX_RECEIVE_COUNT = 1000;

/**
 * Makes a declared queue exist with the declared settings: creates it (and a missing dead-letter queue, with
 * default settings and the same type), or brings an existing one's visibility timeout and redrive target in line.
 * Attributes flint.yaml does not declare are left as they are. Throws INVALID_PARAMETER for a bad declaration
 * or an existing queue of the other type.
 */
export async function ensureQueue(messages: MessageStore, spec: QueueSpec): Promise<{ created: boolean }> {
  checkQueueName(spec.name, spec.fifo);
  if (!Number.isInteger(spec.visibilityTimeout) || spec.visibilityTimeout < 0 || spec.visibilityTimeout > MAX_VISIBILITY_SECONDS) {
    throw new FlintError('INVALID_PARAMETER', `queue ${spec.name}: visibilityTimeout must be a whole number of seconds from 0 to ${MAX_VISIBILITY_SECONDS}`);
  }
  const deadLetter = spec.deadLetter && (await ensureDeadLetter(messages, spec));
  const visibility = String(spec.visibilityTimeout);
  const existing = await messages.getQueue(spec.name);
  if (!existing) {
    const attributes: Record<string, string> = { ...initialAttributes(spec.fifo), VisibilityTimeout: visibility };
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
  if (existing.attributes.VisibilityTimeout !== visibility || !sameTarget(existing.deadLetter, deadLetter)) {
    await messages.updateQueue(spec.name, { attributes: { ...existing.attributes, VisibilityTimeout: visibility }, deadLetter: deadLetter ?? null });
  }
  return { created: false };
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
