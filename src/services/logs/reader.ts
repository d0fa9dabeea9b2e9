import type { LogRecord, LogStore, StoredLogEvent } from '../../storage/index.js';
import type { Cursor } from './tokens.js';

/** One event as the API shows it, wherever it is stored. */
export interface EventView {
  cursor: Cursor;
  timestamp: number;
  ingestionTime: number;
  message: string;
}

/** Up to this many events come from one record (their ids are the record's id times this, plus their place). */
const PARTS = 16;
/** Flint stores an invocation's closing platform lines (and START, when nothing came between) as one record. */
const JOINED_PLATFORM_LINES = /^(START|END) RequestId: /;

/**
 * A function's record as the events Lambda writes to CloudWatch: one per line, each message ending in a newline.
 * The platform's joined lines (START, END, REPORT, a timeout) are separate events, as on AWS; a function's own
 * multi-line output stays one event.
 */
export function recordEvents(record: LogRecord): Array<EventView & { instanceId: string }> {
  const lines = JOINED_PLATFORM_LINES.test(record.message) ? record.message.split('\n').slice(0, PARTS) : [record.message];
  return lines.map((line, part) => ({
    cursor: { timestamp: record.time, source: 0, id: record.id * PARTS + part },
    timestamp: record.time,
    ingestionTime: record.time,
    message: `${line}\n`,
    instanceId: record.instanceId ?? '',
  }));
}

export function customEvent(event: StoredLogEvent): EventView & { stream: string } {
  return { cursor: { timestamp: event.timestamp, source: 1, id: event.id }, timestamp: event.timestamp, ingestionTime: event.ingestionTime, message: event.message, stream: event.stream };
}

/** Time bounds: from inclusive, to exclusive. */
export interface Span {
  from?: number;
  to?: number;
}

/**
 * One page of a function's records after or before a cursor (or the first or last page), optionally of some of its
 * instances. Records are in id order and their times rise with ids, so a cursor's id is the place.
 */
export async function functionPage(
  logs: LogStore,
  functionName: string,
  page: { span: Span; after?: Cursor; before?: Cursor; limit: number; newest: boolean; instanceIds?: readonly string[] },
): Promise<Array<EventView & { instanceId: string }>> {
  let since = page.span.from;
  let afterId: number | undefined;
  if (page.after) {
    // At the cursor's millisecond, function records come before custom events: past a custom event, skip the ms.
    const from = page.after.source === 0 ? page.after.timestamp : page.after.timestamp + 1;
    since = Math.max(since ?? 0, from);
    // The cursor's own record is read again: its later lines may be still to come.
    if (page.after.source === 0) afterId = Math.floor(page.after.id / PARTS) - 1;
  }
  let beforeId: number | undefined;
  let until = page.span.to;
  if (page.before) {
    if (page.before.source === 0) beforeId = Math.floor(page.before.id / PARTS) + 1;
    else until = Math.min(until ?? Number.MAX_SAFE_INTEGER, page.before.timestamp + 1);
  }
  // One more record than events asked for, so that a page never ends up empty only because the cursor's record was.
  const records = await logs.query({ functionName, since, until, afterId, beforeId, instanceIds: page.instanceIds, limit: page.limit + 1, newest: page.newest });
  const events = records
    .flatMap(recordEvents)
    .filter((e) => (page.after?.source !== 0 || e.cursor.id > page.after.id) && (page.before?.source !== 0 || e.cursor.id < page.before.id));
  return page.newest ? events.slice(-page.limit) : events.slice(0, page.limit);
}

/** One page of a custom group's events after or before a cursor. */
export async function customPage(
  logs: LogStore,
  group: string,
  page: { span: Span; after?: Cursor; before?: Cursor; limit: number; newest: boolean; streams?: readonly string[]; streamPrefix?: string },
): Promise<Array<EventView & { stream: string }>> {
  let from = page.span.from;
  let after: { timestamp: number; id: number } | undefined;
  if (page.after) {
    if (page.after.source === 1) after = page.after;
    else from = Math.max(from ?? 0, page.after.timestamp);
  }
  let before: { timestamp: number; id: number } | undefined;
  let to = page.span.to;
  if (page.before) {
    if (page.before.source === 1) before = page.before;
    else to = Math.min(to ?? Number.MAX_SAFE_INTEGER, page.before.timestamp);
  }
  const events = await logs.queryEvents({ group, streams: page.streams, streamPrefix: page.streamPrefix, from, to, after, before, limit: page.limit, newest: page.newest });
  return events.map(customEvent);
}
