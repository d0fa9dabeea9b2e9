import type { FilterLogEventsRequest, FilterLogEventsResponse, FilteredLogEvent } from './api.js';
import type { LogsBackend } from './backend.js';
import { invalidParameter } from './errors.js';
import { compileFilterPattern, FilterPatternError, type LogMatcher } from './filter-pattern.js';
import { functionOf, instanceIdsOf } from './names.js';
import { customPage, functionPage, type EventView, type Span } from './reader.js';
import { compareCursors, eventId, filterToken, parseFilterToken, type Cursor } from './tokens.js';

/** Events are read from each source this many at a time. */
const BATCH = 1000;
/** One call examines at most this many events, then answers with what it found and a token to go on from. */
const SCAN_BUDGET = 10_000;
const RESPONSE_BYTES = 1_048_576;
const EVENT_OVERHEAD = 26;

type Found = EventView & { stream: string };

/** Where to look: which of a function's instances and which custom streams; undefined means all of them. */
interface Selection {
  functionName?: string;
  instanceIds?: readonly string[];
  streams?: readonly string[];
  streamPrefix?: string;
  /** The stream names asked for, checked against the names worked out for function records. */
  names?: ReadonlySet<string>;
}

/**
 * FilterLogEvents: the group's events in timestamp order across its streams, kept when the filter pattern matches,
 * up to `limit` (10,000) events or 1 MB. A call examines at most SCAN_BUDGET events and, when there may be more,
 * answers with a nextToken (possibly with no events, as AWS does when a search is long); without one the search is
 * complete. `aws logs tail --follow` calls it in a loop with the newest timestamp it saw as startTime.
 */
export async function filterLogEvents(backend: LogsBackend, input: FilterLogEventsRequest): Promise<FilterLogEventsResponse> {
  const group = await backend.namedGroup(input);
  if (input.logStreamNames !== undefined && input.logStreamNamePrefix !== undefined) {
    throw invalidParameter('logStreamNames and logStreamNamePrefix are mutually exclusive parameters.');
  }
  const matches = compilePattern(input.filterPattern);
  const selection = await select(backend, group.name, input);
  // startTime is inclusive; so is endTime here (GetLogEvents' endTime is not).
  const span: Span = { from: input.startTime, to: input.endTime === undefined ? undefined : input.endTime + 1 };
  const limit = input.limit ?? 10_000;
  let cursor: Cursor | undefined = input.nextToken === undefined ? undefined : parseFilterToken(input.nextToken);
  const events: FilteredLogEvent[] = [];
  const searched = new Set<string>();
  let scanned = 0;
  let bytes = 0;
  for (;;) {
    const { batch, complete } = await nextBatch(backend, group.name, selection, span, cursor);
    for (const event of batch) {
      cursor = event.cursor;
      scanned++;
      if (selection.names && !selection.names.has(event.stream)) continue;
      searched.add(event.stream);
      if (!matches(event.message)) continue;
      bytes += Buffer.byteLength(event.message) + EVENT_OVERHEAD;
      events.push({ logStreamName: event.stream, timestamp: event.timestamp, message: event.message, ingestionTime: event.ingestionTime, eventId: eventId(event.cursor) });
      const last = complete && event === batch.at(-1);
      if (events.length >= limit || bytes >= RESPONSE_BYTES) return answer(events, searched, last ? undefined : cursor);
    }
    if (complete) return answer(events, searched, undefined);
    if (scanned >= SCAN_BUDGET) return answer(events, searched, cursor);
  }
}

function answer(events: FilteredLogEvent[], searched: Set<string>, cursor: Cursor | undefined): FilterLogEventsResponse {
  return {
    events,
    searchedLogStreams: [...searched].sort().map((logStreamName) => ({ logStreamName, searchedCompletely: cursor === undefined })),
    nextToken: cursor === undefined ? undefined : filterToken(cursor),
  };
}

/** The request's filter pattern, or InvalidParameterException. */
export function compilePattern(pattern: string | undefined): LogMatcher {
  try {
    return compileFilterPattern(pattern);
  } catch (error) {
    if (error instanceof FilterPatternError) throw invalidParameter(`Invalid filter pattern: ${error.message}`);
    throw error;
  }
}

async function select(backend: LogsBackend, group: string, input: FilterLogEventsRequest): Promise<Selection> {
  const functionName = functionOf(group);
  if (input.logStreamNames !== undefined) {
    const names = new Set(input.logStreamNames);
    return { functionName, instanceIds: input.logStreamNames.flatMap(instanceIdsOf), streams: input.logStreamNames, names };
  }
  if (input.logStreamNamePrefix !== undefined && functionName !== undefined) {
    const prefix = input.logStreamNamePrefix;
    const names = new Set((await backend.streams.list(group)).map((s) => s.name).filter((name) => name.startsWith(prefix)));
    return { functionName, instanceIds: undefined, streamPrefix: prefix, names };
  }
  return { functionName, streamPrefix: input.logStreamNamePrefix };
}

/**
 * The next events after the cursor from both sources, merged in order. Only events up to the last one of a source
 * that filled its batch are certain to have nothing missing before them; `complete` says neither source has more.
 */
async function nextBatch(backend: LogsBackend, group: string, selection: Selection, span: Span, after: Cursor | undefined): Promise<{ batch: Found[]; complete: boolean }> {
  const page = { span, after, limit: BATCH, newest: false };
  const records = selection.functionName === undefined ? [] : await functionPage(backend.logs, selection.functionName, { ...page, instanceIds: selection.instanceIds });
  const named: Found[] = [];
  for (const r of records) named.push({ ...r, stream: (await backend.streams.nameOf(selection.functionName!, r.instanceId)) ?? '' });
  const custom = await customPage(backend.logs, group, { ...page, streams: selection.streams, streamPrefix: selection.streamPrefix });
  const merged = [...named, ...custom].sort((a, b) => compareCursors(a.cursor, b.cursor));
  const frontiers = [records, custom].filter((source) => source.length === BATCH).map((source) => source.at(-1)!.cursor);
  if (frontiers.length === 0) return { batch: merged, complete: true };
  const frontier = frontiers.reduce((a, b) => (compareCursors(a, b) <= 0 ? a : b));
  return { batch: merged.filter((e) => compareCursors(e.cursor, frontier) <= 0), complete: false };
}
