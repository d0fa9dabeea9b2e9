import { randomUUID } from 'node:crypto';
import type { Clock, Timer } from '../../core/index.js';
import { eventStreamEvent } from '../../protocol/index.js';
import type { NewLogRecord, NewStoredLogEvent } from '../../storage/index.js';
import type { LiveTailSessionLogEvent, StartLiveTailRequest } from './api.js';
import type { LogMatcher } from './filter-pattern.js';
import { functionGroup, groupArn, instanceStream, type Place } from './names.js';
import { recordEvents } from './reader.js';
import type { LogStreams } from './streams.js';

/** What sessions need of the backend. */
export interface TailParts {
  clock: Clock;
  streams: LogStreams;
  place: Place;
}

/** New events wait this long to be sent together in one sessionUpdate (AWS sends about one a second). */
const FLUSH_MS = 100;
/** AWS caps a sessionUpdate at 500 events and samples beyond; Flint sends the rest in the next update. */
const MAX_UPDATE = 500;

type Pending = { kind: 'record'; record: NewLogRecord } | { kind: 'custom'; group: string; stream: string; event: NewStoredLogEvent };

interface Session {
  /** Group name → the identifier the client used for it (events name their group by it). */
  groups: Map<string, string>;
  streams?: ReadonlySet<string>;
  prefixes?: readonly string[];
  matches: LogMatcher;
  pending: Pending[];
  wake?: () => void;
  timer?: Timer;
  closed: boolean;
}

/**
 * StartLiveTail sessions: each is an event stream that opens with sessionStart and then carries sessionUpdate
 * frames with the new events of its groups (function records as the node writes them, and events clients put)
 * that match its streams, prefixes and filter pattern, until the client goes away or the node closes.
 */
export class LiveTails {
  private readonly sessions = new Set<Session>();

  constructor(private readonly backend: TailParts) {}

  publishRecord(record: NewLogRecord): void {
    if (this.sessions.size === 0) return;
    const group = functionGroup(record.functionName);
    for (const session of this.sessions) if (session.groups.has(group)) this.enqueue(session, { kind: 'record', record });
  }

  publishCustom(group: string, stream: string, events: NewStoredLogEvent[]): void {
    for (const session of this.sessions) {
      if (!session.groups.has(group) || !this.streamWanted(session, stream)) continue;
      for (const event of events) this.enqueue(session, { kind: 'custom', group, stream, event });
    }
  }

  /** A new session over groups that exist (the caller checked), as the event stream to answer with. */
  open(input: StartLiveTailRequest, groups: Map<string, string>, matches: LogMatcher): AsyncIterable<Uint8Array> {
    const session: Session = {
      groups,
      streams: input.logStreamNames && new Set(input.logStreamNames),
      prefixes: input.logStreamNamePrefixes,
      matches,
      pending: [],
      closed: false,
    };
    this.sessions.add(session);
    const start = {
      requestId: randomUUID(),
      sessionId: randomUUID(),
      logGroupIdentifiers: input.logGroupIdentifiers,
      logStreamNames: input.logStreamNames,
      logStreamNamePrefixes: input.logStreamNamePrefixes,
      logEventFilterPattern: input.logEventFilterPattern,
    };
    return this.run(session, start);
  }

  close(): void {
    for (const session of this.sessions) this.end(session);
  }

  private async *run(session: Session, start: Record<string, unknown>): AsyncGenerator<Uint8Array> {
    try {
      yield eventStreamEvent('sessionStart', start);
      while (!session.closed) {
        // Wait for the flush timer (or for events); the timer may have fired while the client was reading.
        if (session.pending.length === 0 || session.timer) await new Promise<void>((resolve) => (session.wake = resolve));
        const batch = session.pending.splice(0, MAX_UPDATE);
        if (session.pending.length > 0) this.schedule(session);
        const results = (await Promise.all(batch.map((p) => this.toEvents(session, p)))).flat();
        if (results.length > 0) yield eventStreamEvent('sessionUpdate', { sessionMetadata: { sampled: false }, sessionResults: results });
      }
    } finally {
      this.end(session);
    }
  }

  private enqueue(session: Session, pending: Pending): void {
    session.pending.push(pending);
    this.schedule(session);
  }

  private schedule(session: Session): void {
    session.timer ??= this.backend.clock.setTimer(FLUSH_MS, () => {
      session.timer = undefined;
      session.wake?.();
    });
  }

  private end(session: Session): void {
    session.closed = true;
    session.timer?.cancel();
    session.wake?.();
    this.sessions.delete(session);
  }

  private streamWanted(session: Session, stream: string): boolean {
    if (session.streams && !session.streams.has(stream)) return false;
    return !session.prefixes || session.prefixes.some((p) => stream.startsWith(p));
  }

  private async toEvents(session: Session, pending: Pending): Promise<LiveTailSessionLogEvent[]> {
    if (pending.kind === 'custom') {
      const { event } = pending;
      if (!session.matches(event.message)) return [];
      return [{ logStreamName: pending.stream, logGroupIdentifier: session.groups.get(pending.group), message: event.message, timestamp: event.timestamp, ingestionTime: event.ingestionTime }];
    }
    const { record } = pending;
    const instanceId = record.instanceId ?? '';
    // A new instance's first record may not be stored yet: it is the record the stream is named after.
    const stream = (await this.backend.streams.nameOf(record.functionName, instanceId)) ?? instanceStream(record.time, record.version, instanceId);
    if (!this.streamWanted(session, stream)) return [];
    const group = functionGroup(record.functionName);
    const identifier = session.groups.get(group) ?? groupArn(this.backend.place, group);
    return recordEvents({ ...record, id: 0 })
      .filter((e) => session.matches(e.message))
      .map((e) => ({ logStreamName: stream, logGroupIdentifier: identifier, message: e.message, timestamp: e.timestamp, ingestionTime: e.ingestionTime }));
  }
}
