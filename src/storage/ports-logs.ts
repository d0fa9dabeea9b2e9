/**
 * What the CloudWatch Logs API needs of the log store beyond following one function's records: the instances that
 * wrote a function's records (Lambda names one log stream per instance), and the events of log groups that clients
 * write themselves (PutLogEvents), which live apart from function records and are ordered by their own timestamps.
 */

/** The records one instance of a function wrote (one Lambda log stream). */
export interface LogInstance {
  /** '' for records written without an instance. */
  instanceId: string;
  /** The version of the instance's first record. */
  version: string;
  firstId: number;
  lastId: number;
  /** Epoch ms of the instance's first and last records. */
  firstTime: number;
  lastTime: number;
  records: number;
  /** UTF-8 bytes of the messages. */
  bytes: number;
}

/** An event a client wrote to a log stream of its own. */
export interface StoredLogEvent {
  /** Increasing id, assigned by the store; breaks ties between equal timestamps. */
  id: number;
  group: string;
  stream: string;
  /** Epoch ms the client gave the event. */
  timestamp: number;
  /** Epoch ms the store received it. */
  ingestionTime: number;
  message: string;
}

export type NewStoredLogEvent = Omit<StoredLogEvent, 'id'>;

/** A place in a group's events: they are ordered by (timestamp, id). */
export interface LogPosition {
  timestamp: number;
  id: number;
}

export interface LogEventQuery {
  group: string;
  /** Only these streams (an empty list matches none). */
  streams?: readonly string[];
  /** Only streams whose names start with this. */
  streamPrefix?: string;
  /** Only events with timestamp >= from. */
  from?: number;
  /** Only events with timestamp < to. */
  to?: number;
  /** Only events strictly after this position. */
  after?: LogPosition;
  /** Only events strictly before this position. */
  before?: LogPosition;
  limit?: number;
  /** With a limit, the latest matches rather than the earliest; either way they come back in ascending order. */
  newest?: boolean;
}

/** What a group's events say about one of its streams. */
export interface LogEventStream {
  stream: string;
  firstTimestamp: number;
  lastTimestamp: number;
  lastIngestionTime: number;
  events: number;
  bytes: number;
}
