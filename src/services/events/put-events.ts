import { randomUUID } from 'node:crypto';
import { PatternError } from '../../events/index.js';
import type { PutEventsRequest, PutEventsRequestEntry, PutEventsResponse, PutEventsResultEntry, TestEventPatternRequest, TestEventPatternResponse } from './api.js';
import { busNameOf } from './arns.js';
import { invalidPattern, validation } from './errors.js';
import { isoSeconds, routeToBus, type Envelope } from './routing.js';
import type { EventsContext } from './types.js';

/**
 * PutEvents: each entry becomes an event on its bus, in the envelope EventBridge delivers (version, id,
 * detail-type, source, account, time, region, resources, detail), and is routed to the matching rules' targets
 * before the call answers. Entry-level refusals are reported in Entries with EventBridge's codes and messages
 * (LocalStack's test_events.snapshot.json: test_put_event_without_detail, test_put_event_without_detail_type);
 * whole-request refusals (over 256 KB, a bus that does not exist) are ValidationException and
 * ResourceNotFoundException as there.
 */
const MAX_REQUEST_BYTES = 256 * 1024;

export async function putEvents(ctx: EventsContext, input: PutEventsRequest): Promise<PutEventsResponse> {
  if (requestSize(input.Entries) > MAX_REQUEST_BYTES) throw validation('Total size of the entries in the request is over the limit.');
  const buses = new Set(input.Entries.map((entry) => busNameOf(entry.EventBusName)));
  for (const bus of buses) await ctx.state.requireBus(bus);
  const results: PutEventsResultEntry[] = [];
  const accepted = new Map<string, Envelope[]>();
  const now = ctx.clock.now();
  for (const entry of input.Entries) {
    const refusal = refusalOf(entry);
    if (refusal) {
      results.push(refusal);
      continue;
    }
    const event = envelope(ctx, entry, now);
    results.push({ EventId: event.id });
    const bus = busNameOf(entry.EventBusName);
    accepted.set(bus, [...(accepted.get(bus) ?? []), event]);
  }
  for (const [bus, events] of accepted) await routeToBus(ctx, bus, events, 0);
  return { FailedEntryCount: results.filter((r) => r.ErrorCode !== undefined).length, Entries: results };
}

/** TestEventPattern: the pattern's verdict on one event, which must carry the envelope's fields. */
export function testEventPattern(ctx: EventsContext, input: TestEventPatternRequest): TestEventPatternResponse {
  let pattern;
  try {
    pattern = ctx.pattern(input.EventPattern);
  } catch (error) {
    if (error instanceof PatternError) throw invalidPattern(error.reason);
    throw error;
  }
  const event = parseObject(input.Event);
  const required = ['id', 'account', 'source', 'time', 'region', 'detail-type'];
  if (!event || required.some((field) => typeof event[field] !== 'string')) throw validation('Parameter Event is not valid.');
  return { Result: pattern.matches(event) };
}

function refusalOf(entry: PutEventsRequestEntry): PutEventsResultEntry | undefined {
  const missing = (name: string): PutEventsResultEntry => ({ ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${name} is not valid. Reason: ${name} is a required argument.` });
  if (entry.Source === undefined) return missing('Source');
  if (entry.DetailType === undefined) return missing('DetailType');
  if (entry.Detail === undefined) return missing('Detail');
  // Events from AWS services' sources cannot be sent by customers.
  if (entry.Source.startsWith('aws.')) return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' };
  if (!parseObject(entry.Detail)) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  return undefined;
}

function envelope(ctx: EventsContext, entry: PutEventsRequestEntry, now: number): Envelope {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': entry.DetailType,
    source: entry.Source,
    account: ctx.scope.accountId,
    time: isoSeconds(entry.Time ? entry.Time.getTime() : now),
    region: ctx.scope.region,
    resources: entry.Resources ?? [],
    detail: JSON.parse(entry.Detail!) as unknown,
  };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** EventBridge's entry size: 14 bytes for a Time, the UTF-8 bytes of Source, DetailType, Detail and each resource. */
function requestSize(entries: readonly PutEventsRequestEntry[]): number {
  let total = 0;
  for (const entry of entries) {
    if (entry.Time) total += 14;
    for (const text of [entry.Source, entry.DetailType, entry.Detail, ...(entry.Resources ?? [])]) if (text !== undefined) total += Buffer.byteLength(text);
  }
  return total;
}
