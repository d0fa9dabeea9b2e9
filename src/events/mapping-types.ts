/** Event source mappings as Flint keeps them, and what callers give to create or change one. */

export type MappingKind = 'sqs' | 'dynamodb';
export type StartingPosition = 'TRIM_HORIZON' | 'LATEST';

/** Lambda's transitional states are reported by the call that causes them; Flint settles at once. */
export type MappingState = 'Creating' | 'Enabling' | 'Enabled' | 'Disabling' | 'Disabled' | 'Updating' | 'Deleting';

export const REPORT_BATCH_ITEM_FAILURES = 'ReportBatchItemFailures';

/** Settings only stream sources have. */
export interface StreamSettings {
  startingPosition: StartingPosition;
  /** -1: until the record expires. */
  maximumRetryAttempts: number;
  /** -1: until the record expires. */
  maximumRecordAgeInSeconds: number;
  bisectBatchOnFunctionError: boolean;
  /** Accepted and reported; Flint processes a shard with one invocation at a time. */
  parallelizationFactor: number;
  tumblingWindowInSeconds: number;
  /** An SQS queue or SNS topic ARN for batches that are given up on. */
  onFailure?: string;
}

export interface MappingRecord {
  uuid: string;
  kind: MappingKind;
  eventSourceArn: string;
  /** Unqualified. */
  functionName: string;
  /** A version or alias when the mapping names one. */
  qualifier?: string;
  enabled: boolean;
  batchSize: number;
  maximumBatchingWindowInSeconds: number;
  functionResponseTypes: string[];
  /** SQS ScalingConfig.MaximumConcurrency: at most this many invocations at once. */
  maximumConcurrency?: number;
  /** FilterCriteria's patterns: only records that one of them matches reach the function. */
  filters?: string[];
  stream?: StreamSettings;
  /** Epoch ms. */
  lastModified: number;
  /** The manifest app that declared the mapping, when one did. */
  app?: string;
}

/** A mapping as the API shows it. */
export interface EventSourceMapping extends MappingRecord {
  functionArn: string;
  mappingArn: string;
  state: MappingState;
  stateTransitionReason: string;
  /** Stream sources: "No records processed", "OK" or "PROBLEM: …". */
  lastProcessingResult?: string;
}

/** CreateEventSourceMapping's and UpdateEventSourceMapping's settings; an update changes only what it gives. */
export interface MappingInput {
  eventSourceArn?: string;
  /** A name or ARN, optionally qualified. */
  functionName?: string;
  enabled?: boolean;
  batchSize?: number;
  maximumBatchingWindowInSeconds?: number;
  functionResponseTypes?: string[];
  startingPosition?: string;
  /** Epoch seconds. */
  startingPositionTimestamp?: number;
  maximumRetryAttempts?: number;
  maximumRecordAgeInSeconds?: number;
  bisectBatchOnFunctionError?: boolean;
  parallelizationFactor?: number;
  tumblingWindowInSeconds?: number;
  destinations?: { onSuccess?: string; onFailure?: string };
  maximumConcurrency?: number;
  /** FilterCriteria as the API takes it ({ Filters: [{ Pattern }] }); an empty list removes the filters. */
  filterCriteria?: unknown;
  app?: string;
}

export interface MappingFilter {
  functionName?: string;
  eventSourceArn?: string;
  marker?: string;
  maxItems?: number;
}
