import { sqsError } from './errors.js';

/**
 * Queue attributes: the ones a caller may set, their defaults, ranges and canonical form. Values are kept as SQS
 * returns them (strings); RedrivePolicy is handled apart (redrive.ts) because the store keeps it typed.
 */

export const SECONDS = 1000;

type Validator = (value: string) => string | undefined;

const integer =
  (min: number, max: number): Validator =>
  (value) => {
    if (!/^\d+$/.test(value.trim())) return undefined;
    const n = Number(value.trim());
    return n >= min && n <= max ? String(n) : undefined;
  };
const boolean: Validator = (value) => (/^(true|false)$/i.test(value) ? value.toLowerCase() : undefined);
/** FifoQueue can only be turned on, at creation. */
const onlyTrue: Validator = (value) => (value.toLowerCase() === 'true' ? 'true' : undefined);
const oneOf =
  (...allowed: string[]): Validator =>
  (value) => (allowed.includes(value) ? value : undefined);
const json: Validator = (value) => {
  if (value === '') return '';
  try {
    return typeof JSON.parse(value) === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
};
const text: Validator = (value) => value;

/** Attributes any queue may set, with the values a new queue starts with (absent: not set). */
const COMMON: Record<string, { validate: Validator; initial?: string }> = {
  DelaySeconds: { validate: integer(0, 900), initial: '0' },
  MaximumMessageSize: { validate: integer(1024, 1_048_576), initial: '1048576' },
  MessageRetentionPeriod: { validate: integer(60, 1_209_600), initial: '345600' },
  ReceiveMessageWaitTimeSeconds: { validate: integer(0, 20), initial: '0' },
  VisibilityTimeout: { validate: integer(0, 43_200), initial: '30' },
  SqsManagedSseEnabled: { validate: boolean, initial: 'true' },
  Policy: { validate: json },
  RedriveAllowPolicy: { validate: json },
  KmsMasterKeyId: { validate: text },
  KmsDataKeyReusePeriodSeconds: { validate: integer(60, 86_400) },
};

const FIFO_ONLY: Record<string, { validate: Validator; initial: string }> = {
  FifoQueue: { validate: onlyTrue, initial: 'true' },
  ContentBasedDeduplication: { validate: boolean, initial: 'false' },
  DeduplicationScope: { validate: oneOf('queue', 'messageGroup'), initial: 'queue' },
  FifoThroughputLimit: { validate: oneOf('perQueue', 'perMessageGroupId'), initial: 'perQueue' },
};

/** Attributes SQS computes; they can be read but not set. */
export const COMPUTED_ATTRIBUTES = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'QueueArn',
] as const;

export const REDRIVE_POLICY = 'RedrivePolicy';

/** Every name GetQueueAttributes knows. */
export const KNOWN_ATTRIBUTES: ReadonlySet<string> = new Set(['All', REDRIVE_POLICY, ...COMPUTED_ATTRIBUTES, ...Object.keys(COMMON), ...Object.keys(FIFO_ONLY)]);

/** The stored attributes of a new queue. */
export function initialAttributes(fifo: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, spec] of Object.entries(COMMON)) if (spec.initial !== undefined) out[name] = spec.initial;
  if (fifo) for (const [name, spec] of Object.entries(FIFO_ONLY)) out[name] = spec.initial;
  return out;
}

/**
 * Validates attributes given to CreateQueue or SetQueueAttributes and returns them in canonical form (RedrivePolicy
 * is passed through untouched). An empty string removes an optional attribute (Policy, KMS settings).
 */
export function canonicalAttributes(given: Record<string, string>, fifo: boolean, operation: 'create' | 'set'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(given)) {
    if (name === REDRIVE_POLICY) {
      out[name] = value;
      continue;
    }
    const spec = COMMON[name] ?? (fifo ? FIFO_ONLY[name] : undefined);
    if (!spec) throw unknownAttribute(name, fifo);
    if (name === 'FifoQueue' && operation === 'set' && value.toLowerCase() !== 'true') {
      throw sqsError('InvalidAttributeValue', 'Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.');
    }
    const canonical = value === '' && spec.initial === undefined ? '' : spec.validate(value);
    if (canonical === undefined) throw sqsError('InvalidAttributeValue', `Invalid value for the parameter ${name}.`);
    out[name] = canonical;
  }
  return out;
}

function unknownAttribute(name: string, fifo: boolean): Error {
  if (!fifo && (name === 'DeduplicationScope' || name === 'FifoThroughputLimit')) {
    return sqsError('InvalidAttributeName', `You can specify the ${name} only when FifoQueue is set to true.`);
  }
  return sqsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
}

/** Stored attributes with `changes` applied: empty strings remove optional attributes. */
export function mergeAttributes(stored: Readonly<Record<string, string>>, changes: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { ...stored };
  for (const [name, value] of Object.entries(changes)) {
    if (name === REDRIVE_POLICY) continue;
    if (value === '') delete out[name];
    else out[name] = value;
  }
  return out;
}

export function numberAttribute(attributes: Readonly<Record<string, string>>, name: string): number {
  return Number(attributes[name] ?? COMMON[name]?.initial ?? 0);
}
