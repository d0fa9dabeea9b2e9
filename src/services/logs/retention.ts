import type { RetentionPolicies } from '../../observe/index.js';
import type { MetadataStore } from '../../storage/index.js';
import { GROUPS, type GroupRecord } from './groups.js';
import { functionOf } from './names.js';

const DAY = 24 * 3600_000;

/** The retention policies PutRetentionPolicy set, as the node's log retention applies them (observe/log-retention.ts). */
export async function retentionPolicies(metadata: MetadataStore): Promise<RetentionPolicies> {
  const functions = new Map<string, number>();
  const groups = new Map<string, number>();
  for (const { value } of await metadata.list<GroupRecord>(GROUPS)) {
    if (value.retentionInDays === undefined) continue;
    // A function group's policy covers the function's records and any events clients put into the group.
    const fn = functionOf(value.name);
    if (fn !== undefined) functions.set(fn, value.retentionInDays * DAY);
    groups.set(value.name, value.retentionInDays * DAY);
  }
  return { functions, groups };
}
