/**
 * Lambda's defaults and rules for event source mappings, worded as Lambda words its refusals: ranges and enums
 * as ValidationException, the rules between fields as InvalidParameterValueException.
 */
import { randomUUID } from 'node:crypto';
import { serviceOf } from './arns.js';
import { invalidValue, Issues, notSupported } from './errors.js';
import { filterPatterns } from './mapping-filters.js';
import { REPORT_BATCH_ITEM_FAILURES, type MappingInput, type MappingKind, type MappingRecord, type StartingPosition, type StreamSettings } from './mapping-types.js';

const STARTING_POSITIONS = ['LATEST', 'AT_TIMESTAMP', 'TRIM_HORIZON'] as const;
const UNSUPPORTED_DESTINATION = 'Unsupported DestinationConfig parameter for given event source mapping type.';
const SQS_MAX_UNBATCHED = 10;

const DEFAULTS = {
  sqs: { batchSize: 10 },
  dynamodb: { batchSize: 100 },
} as const;

/** Ranges and enums, checked before anything else. */
export function checkRanges(input: MappingInput): void {
  const issues = new Issues()
    .range('batchSize', input.batchSize, 1, 10_000)
    .range('maximumBatchingWindowInSeconds', input.maximumBatchingWindowInSeconds, 0, 300)
    .range('maximumRetryAttempts', input.maximumRetryAttempts, -1, 10_000)
    .range('maximumRecordAgeInSeconds', input.maximumRecordAgeInSeconds, -1, 604_800)
    .range('parallelizationFactor', input.parallelizationFactor, 1, 10)
    .range('tumblingWindowInSeconds', input.tumblingWindowInSeconds, 0, 900)
    .range('scalingConfig.maximumConcurrency', input.maximumConcurrency, 2, 1000)
    .oneOf('startingPosition', input.startingPosition, STARTING_POSITIONS);
  const types = input.functionResponseTypes ?? [];
  if (types.length > 1 || types.some((t) => t !== REPORT_BATCH_ITEM_FAILURES)) {
    issues.add(
      `Value '[${types.join(', ')}]' at 'functionResponseTypes' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [${REPORT_BATCH_ITEM_FAILURES}]]`,
    );
  }
  issues.done();
  if ((input.tumblingWindowInSeconds ?? 0) > 0) throw notSupported('Tumbling windows (TumblingWindowInSeconds)');
}

/** The kind of source an ARN names; Kinesis, Kafka and Amazon MQ are Lambda's but not Flint's. */
export function kindOf(eventSourceArn: string | undefined): MappingKind {
  if (eventSourceArn === undefined) throw invalidValue('Unrecognized event source.');
  const service = serviceOf(eventSourceArn);
  if (service === 'sqs') return 'sqs';
  if (service === 'dynamodb' && eventSourceArn.includes('/stream/')) return 'dynamodb';
  if (service === 'kinesis') throw notSupported('Kinesis event sources');
  if (service === 'kafka') throw notSupported('Amazon MSK event sources');
  if (service === 'mq') throw notSupported('Amazon MQ event sources');
  throw invalidValue('Unrecognized event source.');
}

/** A new mapping from CreateEventSourceMapping's settings, with Lambda's defaults for the source's kind. */
export function newRecord(kind: MappingKind, input: MappingInput, fn: { name: string; qualifier?: string }, now: number): MappingRecord {
  const record: MappingRecord = {
    uuid: randomUUID(),
    kind,
    eventSourceArn: input.eventSourceArn ?? '',
    functionName: fn.name,
    enabled: input.enabled ?? true,
    batchSize: input.batchSize ?? DEFAULTS[kind].batchSize,
    maximumBatchingWindowInSeconds: input.maximumBatchingWindowInSeconds ?? 0,
    functionResponseTypes: input.functionResponseTypes ?? [],
    lastModified: now,
  };
  if (fn.qualifier !== undefined) record.qualifier = fn.qualifier;
  if (input.app !== undefined) record.app = input.app;
  setFilters(record, input);
  if (kind === 'sqs') {
    checkSqsOnly(input);
    if (input.maximumConcurrency !== undefined) record.maximumConcurrency = input.maximumConcurrency;
  } else {
    record.stream = streamSettings(input, record.eventSourceArn);
  }
  checkRecord(record);
  return record;
}

/** UpdateEventSourceMapping: the settings given replace the current ones. */
export function patchRecord(current: MappingRecord, input: MappingInput, fn: { name: string; qualifier?: string } | undefined, now: number): MappingRecord {
  const next: MappingRecord = { ...current, lastModified: now };
  if (fn) {
    next.functionName = fn.name;
    if (fn.qualifier === undefined) delete next.qualifier;
    else next.qualifier = fn.qualifier;
  }
  if (input.enabled !== undefined) next.enabled = input.enabled;
  if (input.batchSize !== undefined) next.batchSize = input.batchSize;
  if (input.maximumBatchingWindowInSeconds !== undefined) next.maximumBatchingWindowInSeconds = input.maximumBatchingWindowInSeconds;
  if (input.functionResponseTypes !== undefined) next.functionResponseTypes = input.functionResponseTypes;
  setFilters(next, input);
  if (current.kind === 'sqs') {
    checkSqsOnly(input);
    if (input.maximumConcurrency !== undefined) next.maximumConcurrency = input.maximumConcurrency;
  } else if (current.stream) {
    next.stream = patchStream(current.stream, input);
  }
  checkRecord(next);
  return next;
}

/** FilterCriteria given: its patterns replace the mapping's (none left removes filtering). */
function setFilters(record: MappingRecord, input: MappingInput): void {
  if (input.filterCriteria === undefined) return;
  const patterns = filterPatterns(input.filterCriteria);
  if (patterns.length > 0) record.filters = patterns;
  else delete record.filters;
}

/** Rules between fields that hold for a mapping whatever created or changed it. */
function checkRecord(record: MappingRecord): void {
  if (record.kind === 'sqs' && record.batchSize > SQS_MAX_UNBATCHED && record.maximumBatchingWindowInSeconds === 0) {
    throw invalidValue('Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10');
  }
}

/** SQS mappings take neither a starting position nor the stream error-handling settings nor destinations. */
function checkSqsOnly(input: MappingInput): void {
  if (input.startingPosition !== undefined || input.startingPositionTimestamp !== undefined) throw invalidValue('StartingPosition is not valid for SQS event sources.');
  if (input.destinations !== undefined && (input.destinations.onSuccess || input.destinations.onFailure)) throw invalidValue(UNSUPPORTED_DESTINATION);
  const streamOnly: [string, unknown][] = [
    ['MaximumRetryAttempts', input.maximumRetryAttempts],
    ['MaximumRecordAgeInSeconds', input.maximumRecordAgeInSeconds],
    ['BisectBatchOnFunctionError', input.bisectBatchOnFunctionError],
    ['ParallelizationFactor', input.parallelizationFactor],
    ['TumblingWindowInSeconds', input.tumblingWindowInSeconds],
  ];
  for (const [name, value] of streamOnly) {
    if (value !== undefined) throw invalidValue(`Unsupported ${name} parameter for given event source mapping type.`);
  }
}

function streamSettings(input: MappingInput, eventSourceArn: string): StreamSettings {
  if (input.startingPosition === undefined) {
    throw invalidValue("1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null.");
  }
  if (input.startingPositionTimestamp !== undefined && input.startingPosition !== 'AT_TIMESTAMP') throw invalidValue('Timestamp only valid with StartingPosition AT_TIMESTAMP');
  // DynamoDB streams have no AT_TIMESTAMP iterator, so Lambda refuses it for them.
  if (input.startingPosition === 'AT_TIMESTAMP') throw invalidValue(`Unsupported starting position for arn type: ${eventSourceArn}`);
  if (input.maximumConcurrency !== undefined) throw invalidValue('Unsupported ScalingConfig parameter for given event source mapping type.');
  const settings: StreamSettings = {
    startingPosition: input.startingPosition as StartingPosition,
    maximumRetryAttempts: input.maximumRetryAttempts ?? -1,
    maximumRecordAgeInSeconds: input.maximumRecordAgeInSeconds ?? -1,
    bisectBatchOnFunctionError: input.bisectBatchOnFunctionError ?? false,
    parallelizationFactor: input.parallelizationFactor ?? 1,
    tumblingWindowInSeconds: input.tumblingWindowInSeconds ?? 0,
  };
  const onFailure = streamDestination(input);
  if (onFailure) settings.onFailure = onFailure;
  return settings;
}

function patchStream(current: StreamSettings, input: MappingInput): StreamSettings {
  if (input.maximumConcurrency !== undefined) throw invalidValue('Unsupported ScalingConfig parameter for given event source mapping type.');
  const next: StreamSettings = { ...current };
  if (input.maximumRetryAttempts !== undefined) next.maximumRetryAttempts = input.maximumRetryAttempts;
  if (input.maximumRecordAgeInSeconds !== undefined) next.maximumRecordAgeInSeconds = input.maximumRecordAgeInSeconds;
  if (input.bisectBatchOnFunctionError !== undefined) next.bisectBatchOnFunctionError = input.bisectBatchOnFunctionError;
  if (input.parallelizationFactor !== undefined) next.parallelizationFactor = input.parallelizationFactor;
  if (input.tumblingWindowInSeconds !== undefined) next.tumblingWindowInSeconds = input.tumblingWindowInSeconds;
  if (input.destinations !== undefined) {
    const onFailure = streamDestination(input);
    if (onFailure) next.onFailure = onFailure;
    else delete next.onFailure;
  }
  return next;
}

/** Stream mappings send failed batches' descriptions to a queue or topic (OnFailure only). */
function streamDestination(input: MappingInput): string | undefined {
  const { onSuccess, onFailure } = input.destinations ?? {};
  if (onSuccess) throw invalidValue(UNSUPPORTED_DESTINATION);
  if (!onFailure) return undefined;
  const service = serviceOf(onFailure);
  if (service === 'sqs' || service === 'sns') return onFailure;
  if (onFailure.startsWith('arn:aws:s3:')) throw notSupported('S3 on-failure destinations');
  throw invalidValue(`The provided destination config DestinationConfig(onSuccess=null, onFailure=OnFailure(destination=${onFailure})) is invalid.`);
}
