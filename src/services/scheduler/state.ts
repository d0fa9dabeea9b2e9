import { isFlintError } from '../../core/index.js';
import type { Doc, MetadataStore, Outbox } from '../../storage/index.js';
import type { GroupRecord, ScheduleRecord } from './types.js';

/**
 * Schedule groups and schedules as small documents in the metadata store. A schedule's key is "<group>/<name>" (a
 * name cannot hold "/"), so the schedules of a group are one prefix scan.
 */
const GROUPS = 'scheduler-groups';
const SCHEDULES = 'scheduler-schedules';

/** Writers that lose a compare-and-set race retry this often before giving up with RESOURCE_CONFLICT. */
const CAS_ATTEMPTS = 8;

export function scheduleKey(group: string, name: string): string {
  return `${group}/${name}`;
}

export class SchedulerState {
  constructor(private readonly metadata: MetadataStore) {}

  async group(name: string): Promise<GroupRecord | undefined> {
    return (await this.metadata.get<GroupRecord>(GROUPS, name))?.value;
  }

  /** Stores a new group; false when one of that name exists. */
  async createGroup(group: GroupRecord): Promise<boolean> {
    return this.createOnce(GROUPS, group.name, group);
  }

  updateGroup(name: string, change: (group: GroupRecord) => GroupRecord): Promise<GroupRecord | undefined> {
    return this.update(GROUPS, name, change);
  }

  async deleteGroup(name: string): Promise<boolean> {
    return this.metadata.delete(GROUPS, name);
  }

  async groups(): Promise<GroupRecord[]> {
    return (await this.metadata.list<GroupRecord>(GROUPS)).map((doc) => doc.value);
  }

  async schedule(group: string, name: string): Promise<Doc<ScheduleRecord> | undefined> {
    return this.metadata.get<ScheduleRecord>(SCHEDULES, scheduleKey(group, name));
  }

  /** Stores a new schedule; false when the group already has one of that name. */
  createSchedule(schedule: ScheduleRecord): Promise<boolean> {
    return this.createOnce(SCHEDULES, scheduleKey(schedule.group, schedule.name), schedule);
  }

  /** Replaces a schedule if it is still at `revision`, with work committed alongside; the new revision. */
  putSchedule(schedule: ScheduleRecord, revision: number, outbox?: Outbox<number>): Promise<number> {
    return this.metadata.put(SCHEDULES, scheduleKey(schedule.group, schedule.name), schedule, { ifRevision: revision, outbox });
  }

  updateSchedule(group: string, name: string, change: (schedule: ScheduleRecord) => ScheduleRecord): Promise<ScheduleRecord | undefined> {
    return this.update(SCHEDULES, scheduleKey(group, name), change);
  }

  async deleteSchedule(group: string, name: string, revision?: number): Promise<boolean> {
    try {
      return await this.metadata.delete(SCHEDULES, scheduleKey(group, name), { ifRevision: revision });
    } catch (error) {
      if (isFlintError(error, 'PRECONDITION_FAILED')) return false;
      throw error;
    }
  }

  /** Every schedule, or those of one group, in key order. */
  async schedules(group?: string): Promise<ScheduleRecord[]> {
    const prefix = group === undefined ? undefined : `${group}/`;
    return (await this.metadata.list<ScheduleRecord>(SCHEDULES, { prefix })).map((doc) => doc.value);
  }

  private async createOnce<T>(collection: string, key: string, value: T): Promise<boolean> {
    try {
      await this.metadata.put(collection, key, value, { ifRevision: 0 });
      return true;
    } catch (error) {
      if (isFlintError(error, 'PRECONDITION_FAILED')) return false;
      throw error;
    }
  }

  private async update<T>(collection: string, key: string, change: (value: T) => T): Promise<T | undefined> {
    for (let attempt = 1; ; attempt++) {
      const doc = await this.metadata.get<T>(collection, key);
      if (!doc) return undefined;
      const next = change(doc.value);
      try {
        await this.metadata.put(collection, key, next, { ifRevision: doc.revision });
        return next;
      } catch (error) {
        if (!isFlintError(error, 'PRECONDITION_FAILED') || attempt >= CAS_ATTEMPTS) throw error;
      }
    }
  }
}
