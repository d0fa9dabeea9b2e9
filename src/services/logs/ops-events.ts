import type { Handlers } from '../../protocol/index.js';
import type { InputLogEvent, Operations, OutputLogEvent, PutLogEventsResponse } from './api.js';
import type { LogsBackend } from './backend.js';
import { invalidParameter, notChronological, streamNotFound } from './errors.js';
import { filterLogEvents } from './filter-events.js';
import type { EventView, Span } from './reader.js';
import { customPage, functionPage } from './reader.js';
import { parseStreamToken, START, streamToken } from './tokens.js';

type Ctx = { backend: LogsBackend };

const DAY = 24 * 3600_000;
/** PutLogEvents limits (API reference): 1,048,576 bytes a batch, counting 26 bytes per event; a day's span at most. */
const BATCH_BYTES = 1_048_576;
const EVENT_OVERHEAD = 26;
/** GetLogEvents and FilterLogEvents answer with at most 1 MB of events. */
const RESPONSE_BYTES = 1_048_576;

export function eventHandlers(): Handlers<Operations, Ctx> {
  return {
    PutLogEvents: async (input, { backend }) => putLogEvents(backend, input.logGroupName, input.logStreamName, input.logEvents),

    GetLogEvents: async (input, { backend }) => {
      const group = await backend.namedGroup(input);
      const source = await backend.streams.resolve(group.name, input.logStreamName);
      if (!source) throw streamNotFound();
      const token = input.nextToken === undefined ? undefined : parseStreamToken(input.nextToken);
      const limit = input.limit ?? 10_000;
      const span: Span = { from: input.startTime, to: input.endTime };
      const backward = token ? token.direction === 'b' : !input.startFromHead;
      const page = { span, limit, newest: backward, after: token?.direction === 'f' ? token.cursor : undefined, before: token?.direction === 'b' ? token.cursor : undefined };
      const found: EventView[] =
        source.kind === 'instance' ? await functionPage(backend.logs, source.functionName, { ...page, instanceIds: [source.instanceId] }) : await customPage(backend.logs, group.name, { ...page, streams: [input.logStreamName] });
      const events = withinResponse(found, backward);
      // At either end the token asked with comes back unchanged, which is how clients know they are done.
      const first = events[0]?.cursor ?? token?.cursor ?? START;
      const last = events.at(-1)?.cursor ?? token?.cursor ?? START;
      return { events: events.map(outputEvent), nextForwardToken: streamToken('f', last), nextBackwardToken: streamToken('b', first) };
    },

    FilterLogEvents: async (input, { backend }) => filterLogEvents(backend, input),
  };
}

function outputEvent(e: EventView): OutputLogEvent {
  return { timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime };
}

/** The events that fit in one response, kept from the end the read started at. */
function withinResponse<T extends EventView>(events: T[], fromEnd: boolean): T[] {
  let bytes = 0;
  const ordered = fromEnd ? [...events].reverse() : events;
  const kept: T[] = [];
  for (const e of ordered) {
    bytes += Buffer.byteLength(e.message) + EVENT_OVERHEAD;
    if (bytes > RESPONSE_BYTES && kept.length > 0) break;
    kept.push(e);
  }
  return fromEnd ? kept.reverse() : kept;
}

/**
 * PutLogEvents as the API reference describes it: the group and stream must exist; a batch is in chronological
 * order, at most 1 MiB and a day long; events more than 14 days old (or older than the group's retention) or more
 * than 2 hours ahead are left out and reported in rejectedLogEventsInfo, the rest are stored.
 */
async function putLogEvents(backend: LogsBackend, groupName: string, streamName: string, events: InputLogEvent[]): Promise<PutLogEventsResponse> {
  const group = await backend.group(groupName);
  const source = await backend.streams.resolve(groupName, streamName);
  if (!source) throw streamNotFound();
  if (source.kind === 'instance') throw invalidParameter('Flint writes the log streams of function instances itself; put events into a stream of your own.');
  for (let i = 1; i < events.length; i++) if (events[i]!.timestamp < events[i - 1]!.timestamp) throw notChronological();
  const size = events.reduce((sum, e) => sum + Buffer.byteLength(e.message) + EVENT_OVERHEAD, 0);
  if (size > BATCH_BYTES) throw invalidParameter(`Upload too large: ${size} bytes exceeds limit of ${BATCH_BYTES}`);
  if (events.length > 0 && events.at(-1)!.timestamp - events[0]!.timestamp > DAY) {
    throw invalidParameter('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
  }
  const now = backend.clock.now();
  const tooOld = now - 14 * DAY;
  const expired = group.retentionInDays === undefined ? -Infinity : now - group.retentionInDays * DAY;
  const tooNew = now + 2 * 3600_000;
  const rejected: NonNullable<PutLogEventsResponse['rejectedLogEventsInfo']> = {};
  const oldEnd = events.findIndex((e) => e.timestamp >= tooOld);
  const expiredEnd = events.findIndex((e) => e.timestamp >= expired);
  const newStart = events.findIndex((e) => e.timestamp > tooNew);
  // Both end indexes are exclusive, the start index inclusive (API reference, RejectedLogEventsInfo).
  const firstKept = Math.max(oldEnd < 0 ? events.length : oldEnd, expiredEnd < 0 ? events.length : expiredEnd);
  const lastKept = newStart < 0 ? events.length : newStart;
  if (events.length > 0 && oldEnd !== 0) rejected.tooOldLogEventEndIndex = oldEnd < 0 ? events.length : oldEnd;
  if (events.length > 0 && expiredEnd !== 0) rejected.expiredLogEventEndIndex = expiredEnd < 0 ? events.length : expiredEnd;
  if (newStart >= 0) rejected.tooNewLogEventStartIndex = newStart;
  const kept = events.slice(firstKept, Math.max(firstKept, lastKept)).map((e) => ({ group: groupName, stream: streamName, timestamp: e.timestamp, ingestionTime: now, message: e.message }));
  await backend.logs.appendEvents(kept);
  backend.tails.publishCustom(groupName, streamName, kept);
  const sequence = await backend.nextSequence();
  return { nextSequenceToken: sequence, ...(Object.keys(rejected).length > 0 && { rejectedLogEventsInfo: rejected }) };
}

