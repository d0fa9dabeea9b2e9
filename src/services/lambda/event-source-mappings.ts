import type { EventSourceMapping, EventSourceMappings, MappingInput } from '../../events/index.js';
import { notSupported, unknownOperation } from './errors.js';
import { json, pathParam, queryInteger, queryParam, type Operation, type OperationContext } from './http.js';
import { parseBody } from './schemas.js';
import { createEventSourceMappingBody, updateEventSourceMappingBody, type UpdateEventSourceMappingBody } from './schemas-events.js';
import { page } from './wire.js';

/**
 * CreateEventSourceMapping, GetEventSourceMapping, ListEventSourceMappings, UpdateEventSourceMapping and
 * DeleteEventSourceMapping. Create, update and delete answer 202 with the state the change puts the mapping in.
 */

export const createMapping: Operation = async (ctx) => {
  const body = parseBody(ctx.req, createEventSourceMappingBody);
  refuseOtherSources(body);
  const input = mappingInput(body);
  if (body.EventSourceArn !== undefined) input.eventSourceArn = body.EventSourceArn;
  if (body.StartingPosition !== undefined) input.startingPosition = body.StartingPosition;
  if (body.StartingPositionTimestamp !== undefined) input.startingPositionTimestamp = epochSeconds(body.StartingPositionTimestamp);
  const mapping = await mappings(ctx).create(input);
  return json(ctx.req, 202, mappingConfiguration(mapping));
};

export const getMapping: Operation = async (ctx) => {
  return json(ctx.req, 200, mappingConfiguration(await mappings(ctx).get(pathParam(ctx, 'UUID'))));
};

export const listMappings: Operation = async (ctx) => {
  const found = await mappings(ctx).list({
    functionName: queryParam(ctx.req, 'FunctionName'),
    eventSourceArn: queryParam(ctx.req, 'EventSourceArn'),
    marker: queryParam(ctx.req, 'Marker'),
    maxItems: queryInteger(ctx.req, 'MaxItems', 'maxItems'),
  });
  return json(ctx.req, 200, page('EventSourceMappings', found.items.map(mappingConfiguration), found.nextMarker));
};

export const updateMapping: Operation = async (ctx) => {
  const body = parseBody(ctx.req, updateEventSourceMappingBody);
  refuseOtherSources(body);
  const mapping = await mappings(ctx).update(pathParam(ctx, 'UUID'), mappingInput(body));
  return json(ctx.req, 202, mappingConfiguration(mapping));
};

export const deleteMapping: Operation = async (ctx) => {
  return json(ctx.req, 202, mappingConfiguration(await mappings(ctx).delete(pathParam(ctx, 'UUID'))));
};

function mappings(ctx: OperationContext): EventSourceMappings {
  const found = ctx.backend.eventSourceMappings;
  if (!found) throw unknownOperation(ctx.req.method, ctx.req.rawPath);
  return found;
}

function refuseOtherSources(body: UpdateEventSourceMappingBody): void {
  if (body.Topics !== undefined || body.SelfManagedEventSource !== undefined || body.AmazonManagedKafkaEventSourceConfig !== undefined || body.SelfManagedKafkaEventSourceConfig !== undefined) {
    throw notSupported('Kafka event sources');
  }
  if (body.Queues !== undefined || body.SourceAccessConfigurations !== undefined) throw notSupported('Amazon MQ event sources');
  if (body.DocumentDBEventSourceConfig !== undefined) throw notSupported('Amazon DocumentDB event sources');
}

function mappingInput(body: UpdateEventSourceMappingBody): MappingInput {
  const input: MappingInput = {};
  if (body.FunctionName !== undefined) input.functionName = body.FunctionName;
  if (body.Enabled !== undefined) input.enabled = body.Enabled;
  if (body.BatchSize !== undefined) input.batchSize = body.BatchSize;
  if (body.MaximumBatchingWindowInSeconds !== undefined) input.maximumBatchingWindowInSeconds = body.MaximumBatchingWindowInSeconds;
  if (body.FunctionResponseTypes !== undefined) input.functionResponseTypes = body.FunctionResponseTypes;
  if (body.MaximumRetryAttempts !== undefined) input.maximumRetryAttempts = body.MaximumRetryAttempts;
  if (body.MaximumRecordAgeInSeconds !== undefined) input.maximumRecordAgeInSeconds = body.MaximumRecordAgeInSeconds;
  if (body.BisectBatchOnFunctionError !== undefined) input.bisectBatchOnFunctionError = body.BisectBatchOnFunctionError;
  if (body.ParallelizationFactor !== undefined) input.parallelizationFactor = body.ParallelizationFactor;
  if (body.TumblingWindowInSeconds !== undefined) input.tumblingWindowInSeconds = body.TumblingWindowInSeconds;
  if (body.ScalingConfig?.MaximumConcurrency !== undefined) input.maximumConcurrency = body.ScalingConfig.MaximumConcurrency;
  if (body.FilterCriteria !== undefined) input.filterCriteria = body.FilterCriteria;
  if (body.DestinationConfig !== undefined) {
    input.destinations = { onSuccess: body.DestinationConfig.OnSuccess?.Destination, onFailure: body.DestinationConfig.OnFailure?.Destination };
  }
  return input;
}

function epochSeconds(value: number | string): number {
  return typeof value === 'number' ? value : Date.parse(value) / 1000;
}

/** An EventSourceMappingConfiguration, field for field as Lambda answers it for the mapping's source type. */
export function mappingConfiguration(mapping: EventSourceMapping): Record<string, unknown> {
  const stream = mapping.stream;
  const out: Record<string, unknown> = { UUID: mapping.uuid };
  if (stream) out.StartingPosition = stream.startingPosition;
  out.BatchSize = mapping.batchSize;
  out.MaximumBatchingWindowInSeconds = mapping.maximumBatchingWindowInSeconds;
  if (stream) out.ParallelizationFactor = stream.parallelizationFactor;
  out.EventSourceArn = mapping.eventSourceArn;
  out.FunctionArn = mapping.functionArn;
  // Lambda's REST-JSON timestamps are epoch seconds.
  out.LastModified = mapping.lastModified / 1000;
  if (mapping.lastProcessingResult !== undefined) out.LastProcessingResult = mapping.lastProcessingResult;
  out.State = mapping.state;
  out.StateTransitionReason = mapping.stateTransitionReason;
  if (stream) {
    out.DestinationConfig = { OnFailure: stream.onFailure ? { Destination: stream.onFailure } : {} };
    out.MaximumRecordAgeInSeconds = stream.maximumRecordAgeInSeconds;
    out.BisectBatchOnFunctionError = stream.bisectBatchOnFunctionError;
    out.MaximumRetryAttempts = stream.maximumRetryAttempts;
    out.TumblingWindowInSeconds = stream.tumblingWindowInSeconds;
  }
  out.FunctionResponseTypes = mapping.functionResponseTypes;
  if (mapping.maximumConcurrency !== undefined) out.ScalingConfig = { MaximumConcurrency: mapping.maximumConcurrency };
  out.EventSourceMappingArn = mapping.mappingArn;
  return out;
}
