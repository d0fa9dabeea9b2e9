/**
 * A function's triggers as SAM events, with the options the app set on them: SQS batching, ScalingConfig and
 * FilterCriteria; DynamoDB stream error handling and FilterCriteria; S3 key filters; EventBridge rules on the
 * default bus or one of the app's buses
 * (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-eventsource.html).
 */
import type { AppSpec, DestinationSpec, EventSourceSpec, TableEventSpec } from '../../manifest/index.js';
import { routeEvent } from './apis.js';
import type { LogicalIds } from './logical-ids.js';

export type SamEvent = { Type: string; Properties: Record<string, unknown> };

export function eventsOf(functionName: string, spec: AppSpec, ids: LogicalIds): Record<string, SamEvent> {
  const events: SamEvent[] = [];
  for (const api of spec.apis) {
    for (const route of api.routes.filter((r) => r.functionName === functionName)) events.push(routeEvent(api, route, ids));
  }
  for (const schedule of spec.schedules.filter((s) => s.functionName === functionName)) {
    events.push({ Type: 'Schedule', Properties: { Schedule: schedule.expression } });
  }
  for (const source of (spec.eventSources ?? []).filter((s) => s.functionName === functionName)) events.push(eventSourceEvent(source, ids));
  const named: Record<string, SamEvent> = {};
  events.forEach((event, i) => (named[`${event.Type.replace(/[^A-Za-z0-9]/g, '')}${i + 1}`] = event));
  return named;
}

/** Lambda's FilterCriteria: each pattern as a JSON string. */
function filterCriteria(filters: Record<string, unknown>[] | undefined): Record<string, unknown> {
  return filters?.length ? { FilterCriteria: { Filters: filters.map((pattern) => ({ Pattern: JSON.stringify(pattern) })) } } : {};
}

function eventSourceEvent(source: EventSourceSpec, ids: LogicalIds): SamEvent {
  switch (source.type) {
    case 'sqs': {
      const properties: Record<string, unknown> = { Queue: { 'Fn::GetAtt': [ids.queue(source.queue), 'Arn'] }, BatchSize: source.batchSize };
      if (source.batchingWindow > 0) properties.MaximumBatchingWindowInSeconds = source.batchingWindow;
      if (source.reportBatchItemFailures) properties.FunctionResponseTypes = ['ReportBatchItemFailures'];
      if (source.maximumConcurrency !== undefined) properties.ScalingConfig = { MaximumConcurrency: source.maximumConcurrency };
      return { Type: 'SQS', Properties: { ...properties, ...filterCriteria(source.filters) } };
    }
    case 'sns':
      return { Type: 'SNS', Properties: { Topic: { Ref: ids.topic(source.topic) } } };
    case 's3': {
      const rules = [
        ...(source.prefix !== undefined ? [{ Name: 'prefix', Value: source.prefix }] : []),
        ...(source.suffix !== undefined ? [{ Name: 'suffix', Value: source.suffix }] : []),
      ];
      const properties: Record<string, unknown> = { Bucket: { Ref: ids.bucket(source.bucket) }, Events: source.events.length === 1 ? source.events[0] : source.events };
      if (rules.length > 0) properties.Filter = { S3Key: { Rules: rules } };
      return { Type: 'S3', Properties: properties };
    }
    case 'dynamodb':
      return { Type: 'DynamoDB', Properties: streamProperties(source, ids) };
    case 'eventBridge':
      if (source.schedule !== undefined) return { Type: 'Schedule', Properties: { Schedule: source.schedule } };
      // A bus of the app by Ref (its name), so CloudFormation creates the bus before the rule on it.
      return { Type: 'EventBridgeRule', Properties: { Pattern: source.pattern, ...(source.bus === 'default' ? {} : { EventBusName: { Ref: ids.bus(source.bus) } }) } };
  }
}

function streamProperties(source: TableEventSpec, ids: LogicalIds): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    Stream: { 'Fn::GetAtt': [ids.table(source.table), 'StreamArn'] },
    StartingPosition: source.startingPosition,
    BatchSize: source.batchSize,
  };
  if (source.maximumRetryAttempts !== undefined) properties.MaximumRetryAttempts = source.maximumRetryAttempts;
  if (source.bisectOnError !== undefined) properties.BisectBatchOnFunctionError = source.bisectOnError;
  if (source.reportBatchItemFailures) properties.FunctionResponseTypes = ['ReportBatchItemFailures'];
  if (source.maximumRecordAge !== undefined) properties.MaximumRecordAgeInSeconds = source.maximumRecordAge;
  if (source.batchingWindow !== undefined) properties.MaximumBatchingWindowInSeconds = source.batchingWindow;
  if (source.parallelization !== undefined) properties.ParallelizationFactor = source.parallelization;
  if (source.onFailure) properties.DestinationConfig = { OnFailure: streamDestination(source.onFailure, ids) };
  return { ...properties, ...filterCriteria(source.filters) };
}

/** A stream's OnFailure: SAM's Type (SQS or SNS) and the destination's ARN. */
function streamDestination(target: DestinationSpec, ids: LogicalIds): Record<string, unknown> {
  if (target.type === 'queue') return { Type: 'SQS', Destination: { 'Fn::GetAtt': [ids.queue(target.name), 'Arn'] } };
  if (target.type === 'topic') return { Type: 'SNS', Destination: { Ref: ids.topic(target.name) } };
  if (target.type === 'arn') return { Type: target.arn.split(':')[2] === 'sns' ? 'SNS' : 'SQS', Destination: target.arn };
  return { Destination: { 'Fn::GetAtt': [ids.fn(target.name), 'Arn'] } };
}
