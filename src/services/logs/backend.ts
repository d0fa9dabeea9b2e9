import type { Clock } from '../../core/index.js';
import type { LogStore, MetadataStore } from '../../storage/index.js';
import { groupNotFound, nameAndIdentifier, neitherNameNorIdentifier } from './errors.js';
import { LogGroups, type GroupRecord } from './groups.js';
import { LiveTails } from './live-tail.js';
import { groupFromIdentifier, type Place } from './names.js';
import { LogStreams } from './streams.js';

export interface LogsBackendParts {
  metadata: MetadataStore;
  logs: LogStore;
  clock: Clock;
  place: Place;
}

/** What the operations share: the stores, the node's clock and place, groups, streams and live tails. */
export class LogsBackend {
  readonly groups: LogGroups;
  readonly streams: LogStreams;
  readonly tails: LiveTails;
  readonly logs: LogStore;
  readonly clock: Clock;
  readonly place: Place;
  private readonly metadata: MetadataStore;

  constructor(parts: LogsBackendParts) {
    this.metadata = parts.metadata;
    this.logs = parts.logs;
    this.clock = parts.clock;
    this.place = parts.place;
    this.groups = new LogGroups(parts.metadata, parts.logs, parts.clock);
    this.streams = new LogStreams(parts.metadata, parts.logs, parts.clock);
    this.tails = new LiveTails(this);
  }

  /** The group an operation names by `logGroupName` or `logGroupIdentifier` (exactly one of them). */
  async namedGroup(input: { logGroupName?: string; logGroupIdentifier?: string }): Promise<GroupRecord> {
    if (input.logGroupName !== undefined && input.logGroupIdentifier !== undefined) throw nameAndIdentifier();
    const name = input.logGroupName ?? (input.logGroupIdentifier === undefined ? undefined : groupFromIdentifier(input.logGroupIdentifier));
    if (name === undefined) throw neitherNameNorIdentifier();
    return this.group(name);
  }

  /** PutLogEvents still answers with a sequence token (56 digits, as AWS's), though none is needed since 2023. */
  async nextSequence(): Promise<string> {
    return String(await this.metadata.nextSequence('logs-upload-sequence')).padStart(56, '0');
  }

  async group(name: string): Promise<GroupRecord> {
    const group = await this.groups.get(name);
    if (!group) throw groupNotFound();
    return group;
  }
}
