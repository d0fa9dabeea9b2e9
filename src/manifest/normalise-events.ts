/** Validated event sources and async settings → their specs, with Lambda's defaults applied. */
import type { z } from 'zod';
import { DYNAMODB_DEFAULTS, SQS_DEFAULTS, type asyncSettings, type sqsEvent } from './schema-events.js';
import type { ManifestInput } from './schema.js';
import type { AsyncSpec, DestinationSpec, EventSourceSpec } from './types.js';
import { busEventOf, sqsOptionsOf, streamOptionsOf } from './normalise-settings.js';

type FunctionInput = ManifestInput['functions'][string];
type EventInput = FunctionInput['events'][number];

export function eventSourcesOf(functionName: string, fn: FunctionInput): EventSourceSpec[] {
  return fn.events.flatMap((event) => eventSourceOf(functionName, event));
}

function eventSourceOf(functionName: string, event: EventInput): EventSourceSpec[] {
  if (event.sqs !== undefined) return [queueEvent(functionName, event.sqs)];
  if (event.sns !== undefined) return [{ type: 'sns', functionName, topic: event.sns }];
  if (event.s3 !== undefined) {
    const { bucket, events, prefix, suffix } = event.s3;
    return [{ type: 's3', functionName, bucket, events: events ?? ['s3:ObjectCreated:*'], ...(prefix !== undefined ? { prefix } : {}), ...(suffix !== undefined ? { suffix } : {}) }];
  }
  if (event.dynamodb !== undefined) {
    const { table, startingPosition, batchSize } = event.dynamodb;
    return [{ type: 'dynamodb', functionName, table, startingPosition: startingPosition ?? DYNAMODB_DEFAULTS.startingPosition, batchSize: batchSize ?? DYNAMODB_DEFAULTS.batchSize, ...streamOptionsOf(event.dynamodb) }];
  }
  if (event.eventBridge !== undefined) return [busEventOf(functionName, event.eventBridge)];
  return [];
}

function queueEvent(functionName: string, sqs: z.output<typeof sqsEvent>): EventSourceSpec {
  const settings = typeof sqs === 'string' ? { queue: sqs } : sqs;
  return {
    type: 'sqs',
    functionName,
    queue: settings.queue,
    batchSize: settings.batchSize ?? SQS_DEFAULTS.batchSize,
    batchingWindow: settings.batchingWindow ?? SQS_DEFAULTS.batchingWindow,
    reportBatchItemFailures: settings.reportBatchItemFailures ?? false,
    ...sqsOptionsOf(sqs),
  };
}

export function asyncSpecOf(settings: z.output<typeof asyncSettings>): AsyncSpec {
  const spec: AsyncSpec = {};
  if (settings.maximumRetryAttempts !== undefined) spec.maximumRetryAttempts = settings.maximumRetryAttempts;
  if (settings.maximumEventAge !== undefined) spec.maximumEventAge = settings.maximumEventAge;
  for (const field of ['onSuccess', 'onFailure', 'deadLetter'] as const) {
    const target = settings[field];
    if (target !== undefined) spec[field] = destinationOf(target);
  }
  return spec;
}

function destinationOf(target: string): DestinationSpec {
  if (target.startsWith('arn:')) return { type: 'arn', arn: target };
  const [type, name = ''] = target.split(':', 2) as ['queue' | 'topic' | 'function', string];
  return { type, name };
}
