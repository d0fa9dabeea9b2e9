import { FlintError, type Clock } from '../../core/index.js';
import type { LogStore, MetadataStore } from '../../storage/index.js';
import { functionGroup, functionOf } from './names.js';

/** What Flint keeps of a log group. Function groups are written the first time the API sees their records. */
export interface GroupRecord {
  name: string;
  creationTime: number;
  retentionInDays?: number;
  kmsKeyId?: string;
  logGroupClass: string;
  tags: Record<string, string>;
  deletionProtectionEnabled?: boolean;
}

export const GROUPS = 'logs-groups';
export const STREAMS = 'logs-streams';

/** The metadata key of a custom stream: group names cannot hold ':', so `<group>:` lists one group's streams. */
export function streamKey(group: string, stream: string): string {
  return `${group}:${stream}`;
}

/**
 * Log groups: those clients created (CreateLogGroup) and one per function that has log records, as Lambda creates
 * `/aws/lambda/<function>` on a function's first log line. A function group is kept as a record once seen, so its
 * creation time, retention policy and tags stay put; deleting it deletes the function's records, and the function's
 * next log line brings it back, as on AWS.
 */
export class LogGroups {
  constructor(
    private readonly metadata: MetadataStore,
    private readonly logs: LogStore,
    private readonly clock: Clock,
  ) {}

  async get(name: string): Promise<GroupRecord | undefined> {
    const doc = await this.metadata.get<GroupRecord>(GROUPS, name);
    if (doc) return doc.value;
    const fn = functionOf(name);
    if (fn === undefined) return undefined;
    const [first] = await this.logs.query({ functionName: fn, limit: 1, newest: false });
    return first ? this.adopt(name, first.time) : undefined;
  }

  /** Every group, by name. */
  async list(): Promise<GroupRecord[]> {
    const docs = await this.metadata.list<GroupRecord>(GROUPS);
    const known = new Set(docs.map((d) => d.key));
    const groups = docs.map((d) => d.value);
    for (const fn of await this.logs.functions()) {
      const name = functionGroup(fn);
      if (known.has(name)) continue;
      const adopted = await this.get(name);
      if (adopted) groups.push(adopted);
    }
    return groups.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Creates a group; false if one by that name exists. */
  async create(record: Omit<GroupRecord, 'creationTime'>): Promise<boolean> {
    if (await this.get(record.name)) return false;
    return this.putNew({ ...record, creationTime: this.clock.now() });
  }

  async update(name: string, change: (record: GroupRecord) => GroupRecord): Promise<GroupRecord | undefined> {
    for (;;) {
      const current = (await this.get(name)) && (await this.metadata.get<GroupRecord>(GROUPS, name));
      if (!current) return undefined;
      const next = change(current.value);
      try {
        await this.metadata.put(GROUPS, name, next, { ifRevision: current.revision });
        return next;
      } catch (error) {
        if (!(error instanceof FlintError && error.code === 'PRECONDITION_FAILED')) throw error;
      }
    }
  }

  /** Deletes the group, its streams and its events (a function group: the function's records). */
  async delete(name: string): Promise<void> {
    const fn = functionOf(name);
    if (fn !== undefined) await this.logs.deleteFunction(fn);
    await this.logs.deleteEvents(name);
    for (const stream of await this.metadata.list(STREAMS, { prefix: `${name}:` })) await this.metadata.delete(STREAMS, stream.key);
    await this.metadata.delete(GROUPS, name);
  }

  /** A function group seen for the first time: created when the function first logged. */
  private async adopt(name: string, firstTime: number): Promise<GroupRecord> {
    const record: GroupRecord = { name, creationTime: firstTime, logGroupClass: 'STANDARD', tags: {} };
    await this.putNew(record);
    return (await this.metadata.get<GroupRecord>(GROUPS, name))?.value ?? record;
  }

  private async putNew(record: GroupRecord): Promise<boolean> {
    try {
      await this.metadata.put(GROUPS, record.name, record, { ifRevision: 0 });
      return true;
    } catch (error) {
      if (error instanceof FlintError && error.code === 'PRECONDITION_FAILED') return false;
      throw error;
    }
  }
}
