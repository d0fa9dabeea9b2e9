/**
 * Event sources and destinations name resources of the same manifest: a queue under resources.queues, a topic,
 * a bucket, a table, another function. Checked on the raw manifest, skipping whatever is invalid on its own, so
 * these problems show up beside the others.
 */
import type { z } from 'zod';
import { isRecord } from './fields.js';
import { isFifoQueue } from './schema-resources.js';
import { asyncSettings, dynamodbEvent, s3Event, snsEvent, sqsEvent } from './schema-events.js';
import { checkBusReference } from './schema-streams.js';

type Kind = 'queues' | 'topics' | 'buckets' | 'tables';
const SINGULAR: Record<Kind, string> = { queues: 'queue', topics: 'topic', buckets: 'bucket', tables: 'table' };
const FIFO_BATCH_MAX = 10;

interface Declared {
  functions: Record<string, unknown>;
  resources: Record<Kind, Record<string, unknown>>;
  buses: Record<string, unknown>;
}

export function checkReferences(manifest: Record<string, unknown>, ctx: z.RefinementCtx): void {
  if (!isRecord(manifest.functions)) return;
  const declared = declaredIn(manifest);
  for (const [functionName, fn] of Object.entries(manifest.functions)) {
    if (!isRecord(fn)) continue;
    const at = ['functions', functionName];
    if (Array.isArray(fn.events)) checkEvents(fn.events, [...at, 'events'], declared, ctx);
    const settings = asyncSettings.safeParse(fn.async);
    if (fn.async !== undefined && settings.success) checkAsync(functionName, settings.data, [...at, 'async'], declared, ctx);
  }
}

function declaredIn(manifest: Record<string, unknown>): Declared {
  const resources = isRecord(manifest.resources) ? manifest.resources : {};
  const section = (kind: Kind): Record<string, unknown> => (isRecord(resources[kind]) ? resources[kind] : {});
  return {
    functions: manifest.functions as Record<string, unknown>,
    resources: { queues: section('queues'), topics: section('topics'), buckets: section('buckets'), tables: section('tables') },
    buses: isRecord(resources.buses) ? resources.buses : {},
  };
}

function checkEvents(events: unknown[], at: PropertyKey[], declared: Declared, ctx: z.RefinementCtx): void {
  const subscribed = new Set<string>();
  for (const [index, event] of events.entries()) {
    if (!isRecord(event)) continue;
    const where = [...at, index];
    const sqs = sqsEvent.safeParse(event.sqs);
    if (event.sqs !== undefined && sqs.success) {
      const queue = typeof sqs.data === 'string' ? sqs.data : sqs.data.queue;
      const path = typeof sqs.data === 'string' ? [...where, 'sqs'] : [...where, 'sqs', 'queue'];
      if (subscribed.has(queue)) ctx.addIssue({ code: 'custom', path, message: `queue '${queue}' is already an event source of this function` });
      subscribed.add(queue);
      if (requireDeclared('queues', queue, path, declared, ctx)) checkFifoBatch(queue, sqs.data, where, declared, ctx);
    }
    const sns = snsEvent.safeParse(event.sns);
    if (event.sns !== undefined && sns.success) requireDeclared('topics', sns.data, [...where, 'sns'], declared, ctx);
    const s3 = s3Event.safeParse(event.s3);
    if (event.s3 !== undefined && s3.success) requireDeclared('buckets', s3.data.bucket, [...where, 's3', 'bucket'], declared, ctx);
    const dynamodb = dynamodbEvent.safeParse(event.dynamodb);
    if (event.dynamodb !== undefined && dynamodb.success) {
      requireDeclared('tables', dynamodb.data.table, [...where, 'dynamodb', 'table'], declared, ctx);
      checkStreamOnFailure(dynamodb.data.onFailure, [...where, 'dynamodb', 'onFailure'], declared, ctx);
    }
    checkBusReference(event, where, declared.buses, ctx);
  }
}

/** A stream mapping's OnFailure destination names a queue or topic of this app (or is an ARN). */
function checkStreamOnFailure(target: string | undefined, path: PropertyKey[], declared: Declared, ctx: z.RefinementCtx): void {
  if (target === undefined || target.startsWith('arn:')) return;
  const [type, name = ''] = target.split(':', 2);
  requireDeclared(type === 'queue' ? 'queues' : 'topics', name, path, declared, ctx);
}

function checkFifoBatch(queue: string, sqs: z.output<typeof sqsEvent>, where: PropertyKey[], declared: Declared, ctx: z.RefinementCtx): void {
  const settings = declared.resources.queues[queue];
  if (typeof sqs === 'string' || (sqs.batchSize ?? 0) <= FIFO_BATCH_MAX) return;
  if (isFifoQueue(queue, isRecord(settings) ? { fifo: settings.fifo === true ? true : undefined } : undefined)) {
    ctx.addIssue({ code: 'custom', path: [...where, 'sqs', 'batchSize'], message: `a FIFO queue delivers at most ${FIFO_BATCH_MAX} messages per batch` });
  }
}

function checkAsync(functionName: string, settings: z.output<typeof asyncSettings>, at: PropertyKey[], declared: Declared, ctx: z.RefinementCtx): void {
  for (const field of ['onSuccess', 'onFailure', 'deadLetter'] as const) {
    const target = settings[field];
    if (target === undefined) continue;
    const path = [...at, field];
    const [type, name = ''] = target.split(':', 2);
    if (field === 'deadLetter' && (type === 'function' || /^arn:[^:]+:lambda:/.test(target))) {
      ctx.addIssue({ code: 'custom', path, message: 'a dead-letter target is a queue or a topic' });
      continue;
    }
    if (type === 'queue') requireDeclared('queues', name, path, declared, ctx);
    else if (type === 'topic') requireDeclared('topics', name, path, declared, ctx);
    else if (type === 'function') checkFunctionDestination(functionName, name, path, declared, ctx);
  }
}

function checkFunctionDestination(functionName: string, target: string, path: PropertyKey[], declared: Declared, ctx: z.RefinementCtx): void {
  if (target === functionName) ctx.addIssue({ code: 'custom', path, message: 'a function cannot be its own destination' });
  else if (!(target in declared.functions)) ctx.addIssue({ code: 'custom', path, message: `no function '${target}' in this manifest (declared: ${Object.keys(declared.functions).join(', ')})` });
}

/** True when the resource is declared; otherwise reports it where it is named. */
function requireDeclared(kind: Kind, name: string, path: PropertyKey[], declared: Declared, ctx: z.RefinementCtx): boolean {
  const names = Object.keys(declared.resources[kind]);
  if (names.includes(name)) return true;
  const known = names.length > 0 ? ` (declared: ${names.join(', ')})` : '';
  ctx.addIssue({ code: 'custom', path, message: `no ${SINGULAR[kind]} '${name}' under resources.${kind}${known}` });
  return false;
}
