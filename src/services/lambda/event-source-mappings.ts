import type { EventSourceMapping, EventSourceMappings, MappingInput } from '../../events/index.js';
import type { EventSourceMappingConfiguration, UpdateEventSourceMappingRequest } from './api.js';
import type { LambdaContext, LambdaHandler } from './context.js';
import type { LambdaErrors } from './errors.js';
import { destinationsOf } from './event-invoke-configs.js';

/**
 * CreateEventSourceMapping, GetEventSourceMapping, ListEventSourceMappings, UpdateEventSourceMapping and
 * DeleteEventSourceMapping. Create, update and delete answer 202 with the state the change puts the mapping in.
 */

export const createEventSourceMapping: LambdaHandler<'CreateEventSourceMapping'> = async (input, ctx) => {
  refuseOtherSources(input, ctx.errors);
  const settings = mappingInput(input);
  if (input.EventSourceArn !== undefined) settings.eventSourceArn = input.EventSourceArn;
  if (input.StartingPosition !== undefined) settings.startingPosition = input.StartingPosition;
  if (input.StartingPositionTimestamp !== undefined) settings.startingPositionTimestamp = input.StartingPositionTimestamp.getTime() / 1000;
  return mappingConfiguration(await mappings(ctx).create(settings));
};

export const getEventSourceMapping: LambdaHandler<'GetEventSourceMapping'> = async (input, ctx) => {
  return mappingConfiguration(await mappings(ctx).get(input.UUID));
};

export const listEventSourceMappings: LambdaHandler<'ListEventSourceMappings'> = async (input, ctx) => {
  const found = await mappings(ctx).list({ functionName: input.FunctionName, eventSourceArn: input.EventSourceArn, marker: input.Marker, maxItems: input.MaxItems });
  return { NextMarker: found.nextMarker, EventSourceMappings: found.items.map(mappingConfiguration) };
};

export const updateEventSourceMapping: LambdaHandler<'UpdateEventSourceMapping'> = async (input, ctx) => {
  refuseOtherSources(input, ctx.errors);
  return mappingConfiguration(await mappings(ctx).update(input.UUID, mappingInput(input)));
};

export const deleteEventSourceMapping: LambdaHandler<'DeleteEventSourceMapping'> = async (input, ctx) => {
  return mappingConfiguration(await mappings(ctx).delete(input.UUID));
};

function mappings(ctx: LambdaContext): EventSourceMappings {
  const found = ctx.backend.eventSourceMappings;
  if (!found) throw ctx.errors.unknownOperation(ctx.request);
  return found;
}

/** The settings create and update share; Kafka's and Amazon MQ's only appear in create. */
type MappingSettings = Omit<UpdateEventSourceMappingRequest, 'UUID'> & { Topics?: string[]; Queues?: string[]; SelfManagedEventSource?: unknown };

function refuseOtherSources(input: MappingSettings, errors: LambdaErrors): void {
  if (input.Topics !== undefined || input.SelfManagedEventSource !== undefined || input.AmazonManagedKafkaEventSourceConfig !== undefined || input.SelfManagedKafkaEventSourceConfig !== undefined) {
    throw errors.notSupported('Kafka event sources');
  }
  if (input.Queues !== undefined || input.SourceAccessConfigurations !== undefined) throw errors.notSupported('Amazon MQ event sources');
  if (input.DocumentDBEventSourceConfig !== undefined) throw errors.notSupported('Amazon DocumentDB event sources');
}

function mappingInput(input: MappingSettings): MappingInput {
  const out: MappingInput = {};
  if (input.FunctionName !== undefined) out.functionName = input.FunctionName;
  if (input.Enabled !== undefined) out.enabled = input.Enabled;
  if (input.BatchSize !== undefined) out.batchSize = input.BatchSize;
  if (input.MaximumBatchingWindowInSeconds !== undefined) out.maximumBatchingWindowInSeconds = input.MaximumBatchingWindowInSeconds;
  if (input.FunctionResponseTypes !== undefined) out.functionResponseTypes = input.FunctionResponseTypes;
  if (input.MaximumRetryAttempts !== undefined) out.maximumRetryAttempts = input.MaximumRetryAttempts;
  if (input.MaximumRecordAgeInSeconds !== undefined) out.maximumRecordAgeInSeconds = input.MaximumRecordAgeInSeconds;
  if (input.BisectBatchOnFunctionError !== undefined) out.bisectBatchOnFunctionError = input.BisectBatchOnFunctionError;
  if (input.ParallelizationFactor !== undefined) out.parallelizationFactor = input.ParallelizationFactor;
  if (input.TumblingWindowInSeconds !== undefined) out.tumblingWindowInSeconds = input.TumblingWindowInSeconds;
  if (input.ScalingConfig?.MaximumConcurrency !== undefined) out.maximumConcurrency = input.ScalingConfig.MaximumConcurrency;
  if (input.FilterCriteria !== undefined) out.filterCriteria = input.FilterCriteria;
  if (input.DestinationConfig !== undefined) out.destinations = destinationsOf(input.DestinationConfig);
  return out;
}

/** An EventSourceMappingConfiguration, field for field as Lambda answers it for the mapping's source type. */
function mappingConfiguration(mapping: EventSourceMapping): EventSourceMappingConfiguration {
  const stream = mapping.stream;
  const out: EventSourceMappingConfiguration = {
    UUID: mapping.uuid,
    BatchSize: mapping.batchSize,
    MaximumBatchingWindowInSeconds: mapping.maximumBatchingWindowInSeconds,
    EventSourceArn: mapping.eventSourceArn,
    FunctionArn: mapping.functionArn,
    LastModified: new Date(mapping.lastModified),
    LastProcessingResult: mapping.lastProcessingResult,
    State: mapping.state,
    StateTransitionReason: mapping.stateTransitionReason,
    FunctionResponseTypes: mapping.functionResponseTypes,
    ...(mapping.maximumConcurrency !== undefined ? { ScalingConfig: { MaximumConcurrency: mapping.maximumConcurrency } } : {}),
    ...(mapping.filters ? { FilterCriteria: { Filters: mapping.filters.map((Pattern) => ({ Pattern })) } } : {}),
    EventSourceMappingArn: mapping.mappingArn,
  };
  if (stream) {
    Object.assign(out, {
      StartingPosition: stream.startingPosition,
      ParallelizationFactor: stream.parallelizationFactor,
      DestinationConfig: { OnFailure: stream.onFailure ? { Destination: stream.onFailure } : {} },
      MaximumRecordAgeInSeconds: stream.maximumRecordAgeInSeconds,
      BisectBatchOnFunctionError: stream.bisectBatchOnFunctionError,
      MaximumRetryAttempts: stream.maximumRetryAttempts,
      TumblingWindowInSeconds: stream.tumblingWindowInSeconds,
    });
  }
  return out;
}
