import { z } from 'zod';

/**
 * Request bodies of the event source mapping and event invoke configuration operations, checked here for presence
 * and type; ranges, enums and the rules between fields are the events subsystem's, worded as Lambda words them.
 */

const destination = z.object({ Destination: z.string().optional() });
const destinationConfig = z.object({ OnSuccess: destination.optional(), OnFailure: destination.optional() });

/** Settings of Lambda's other source types (Kafka, Amazon MQ, DocumentDB): present means refused. */
const otherSources = {
  Topics: z.array(z.string()).optional(),
  Queues: z.array(z.string()).optional(),
  SourceAccessConfigurations: z.array(z.unknown()).optional(),
  SelfManagedEventSource: z.unknown().optional(),
  AmazonManagedKafkaEventSourceConfig: z.unknown().optional(),
  SelfManagedKafkaEventSourceConfig: z.unknown().optional(),
  DocumentDBEventSourceConfig: z.unknown().optional(),
};

const mappingSettings = {
  FunctionName: z.string().optional(),
  Enabled: z.boolean().optional(),
  BatchSize: z.number().optional(),
  MaximumBatchingWindowInSeconds: z.number().optional(),
  DestinationConfig: destinationConfig.optional(),
  MaximumRecordAgeInSeconds: z.number().optional(),
  BisectBatchOnFunctionError: z.boolean().optional(),
  MaximumRetryAttempts: z.number().optional(),
  ParallelizationFactor: z.number().optional(),
  TumblingWindowInSeconds: z.number().optional(),
  FunctionResponseTypes: z.array(z.string()).optional(),
  ScalingConfig: z.object({ MaximumConcurrency: z.number().optional() }).optional(),
  FilterCriteria: z.unknown().optional(),
  KMSKeyArn: z.string().optional(),
  MetricsConfig: z.unknown().optional(),
  ...otherSources,
};

export const createEventSourceMappingBody = z.object({
  ...mappingSettings,
  FunctionName: z.string(),
  EventSourceArn: z.string().optional(),
  StartingPosition: z.string().optional(),
  /** The SDKs send epoch seconds; a date string is accepted too. */
  StartingPositionTimestamp: z.union([z.number(), z.string()]).optional(),
  Tags: z.record(z.string(), z.string()).optional(),
});

export const updateEventSourceMappingBody = z.object(mappingSettings);

export const eventInvokeConfigBody = z.object({
  MaximumRetryAttempts: z.number().optional(),
  MaximumEventAgeInSeconds: z.number().optional(),
  DestinationConfig: destinationConfig.optional(),
});

export type CreateEventSourceMappingBody = z.infer<typeof createEventSourceMappingBody>;
export type UpdateEventSourceMappingBody = z.infer<typeof updateEventSourceMappingBody>;
export type EventInvokeConfigBody = z.infer<typeof eventInvokeConfigBody>;
