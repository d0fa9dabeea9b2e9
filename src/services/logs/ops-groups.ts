import type { Handlers } from '../../protocol/index.js';
import type { LogGroup, LogStream, Operations } from './api.js';
import type { LogsBackend } from './backend.js';
import { groupExists, invalidParameter, invalidToken, prefixAndPattern, streamExists, streamNotFound } from './errors.js';
import type { GroupRecord } from './groups.js';
import { functionOf, groupArn, streamArn } from './names.js';
import type { StreamView } from './streams.js';
import { checkTags } from './ops-tags.js';

type Ctx = { backend: LogsBackend };

/** Log groups and streams: create, describe, delete, retention. */
export function groupHandlers(): Handlers<Operations, Ctx> {
  return {
    CreateLogGroup: async (input, { backend }) => {
      checkTags(input.logGroupName, input.tags ?? {});
      const created = await backend.groups.create({
        name: input.logGroupName,
        kmsKeyId: input.kmsKeyId,
        logGroupClass: input.logGroupClass ?? 'STANDARD',
        tags: input.tags ?? {},
        deletionProtectionEnabled: input.deletionProtectionEnabled,
      });
      if (!created) throw groupExists();
    },

    DeleteLogGroup: async (input, { backend }) => {
      await backend.group(input.logGroupName);
      await backend.groups.delete(input.logGroupName);
    },

    DescribeLogGroups: async (input, { backend }) => {
      if (input.logGroupNamePrefix !== undefined && input.logGroupNamePattern !== undefined) throw prefixAndPattern();
      const pattern = input.logGroupNamePattern?.toLowerCase();
      const wanted = input.logGroupIdentifiers && new Set(input.logGroupIdentifiers.map((id) => id.replace(/:\*$/, '')));
      const after = input.nextToken === undefined ? undefined : groupToken(input.nextToken);
      const matching = (await backend.groups.list()).filter(
        (g) =>
          (after === undefined || g.name > after) &&
          (input.logGroupNamePrefix === undefined || g.name.startsWith(input.logGroupNamePrefix)) &&
          (pattern === undefined || g.name.toLowerCase().includes(pattern)) &&
          (input.logGroupClass === undefined || g.logGroupClass === input.logGroupClass) &&
          (!wanted || wanted.has(g.name) || wanted.has(groupArn(backend.place, g.name))),
      );
      const page = matching.slice(0, input.limit ?? 50);
      // Recorded (test_describe_log_groups_with_pattern): a pattern search leaves out storedBytes and deletion protection.
      const logGroups = await Promise.all(page.map((g) => describeGroup(backend, g, pattern === undefined)));
      return { logGroups, nextToken: matching.length > page.length ? Buffer.from(page.at(-1)!.name).toString('base64url') : undefined };
    },

    PutRetentionPolicy: async (input, { backend }) => {
      if (!RETENTION_DAYS.includes(input.retentionInDays)) {
        throw invalidParameter(`1 validation error detected: Value '${input.retentionInDays}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`);
      }
      await backend.group(input.logGroupName);
      await backend.groups.update(input.logGroupName, (g) => ({ ...g, retentionInDays: input.retentionInDays }));
    },

    DeleteRetentionPolicy: async (input, { backend }) => {
      await backend.group(input.logGroupName);
      await backend.groups.update(input.logGroupName, ({ retentionInDays: _, ...g }) => g);
    },

    CreateLogStream: async (input, { backend }) => {
      await backend.group(input.logGroupName);
      if (!(await backend.streams.create(input.logGroupName, input.logStreamName))) throw streamExists();
    },

    DeleteLogStream: async (input, { backend }) => {
      await backend.group(input.logGroupName);
      if (!(await backend.streams.delete(input.logGroupName, input.logStreamName))) throw streamNotFound();
    },

    DescribeLogStreams: async (input, { backend }) => {
      const group = await backend.namedGroup(input);
      const byTime = input.orderBy === 'LastEventTime';
      if (byTime && input.logStreamNamePrefix !== undefined) throw invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
      let streams = (await backend.streams.list(group.name)).filter((s) => input.logStreamNamePrefix === undefined || s.name.startsWith(input.logStreamNamePrefix));
      if (byTime) streams.sort((a, b) => (a.lastEventTimestamp ?? 0) - (b.lastEventTimestamp ?? 0));
      if (input.descending) streams = streams.reverse();
      const offset = input.nextToken === undefined ? 0 : offsetToken(input.nextToken);
      const limit = input.limit ?? 50;
      const page = streams.slice(offset, offset + limit);
      return {
        logStreams: page.map((s) => describeStream(backend, group.name, s)),
        nextToken: offset + limit < streams.length ? Buffer.from(`streams/${offset + limit}`).toString('base64url') : undefined,
      };
    },
  };
}

/** The periods PutRetentionPolicy accepts (the API reference's list for retentionInDays). */
export const RETENTION_DAYS: readonly number[] = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

async function describeGroup(backend: LogsBackend, g: GroupRecord, full: boolean): Promise<LogGroup> {
  const arn = groupArn(backend.place, g.name);
  const group: LogGroup = { logGroupName: g.name, creationTime: g.creationTime, retentionInDays: g.retentionInDays, metricFilterCount: 0, arn: `${arn}:*` };
  if (full) group.storedBytes = await storedBytes(backend, g.name);
  group.kmsKeyId = g.kmsKeyId;
  group.logGroupClass = g.logGroupClass;
  group.logGroupArn = arn;
  if (full) group.deletionProtectionEnabled = g.deletionProtectionEnabled ?? false;
  return group;
}

async function storedBytes(backend: LogsBackend, group: string): Promise<number> {
  const fn = functionOf(group);
  const records = fn === undefined ? 0 : (await backend.logs.instances(fn)).reduce((sum, i) => sum + i.bytes, 0);
  return records + (await backend.logs.eventStreams(group)).reduce((sum, s) => sum + s.bytes, 0);
}

/** As AWS has reported since 2019, a stream's storedBytes is always 0 (recorded in test_create_and_delete_log_stream). */
function describeStream(backend: LogsBackend, group: string, s: StreamView): LogStream {
  return {
    logStreamName: s.name,
    creationTime: s.creationTime,
    firstEventTimestamp: s.firstEventTimestamp,
    lastEventTimestamp: s.lastEventTimestamp,
    lastIngestionTime: s.lastIngestionTime,
    arn: streamArn(backend.place, group, s.name),
    storedBytes: 0,
  };
}

function groupToken(token: string): string {
  const name = Buffer.from(token, 'base64url').toString('utf8');
  if (name === '' || !/^[.\-_/#A-Za-z0-9]+$/.test(name)) throw invalidToken();
  return name;
}

function offsetToken(token: string): number {
  const match = /^streams\/(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!match) throw invalidToken();
  return Number(match[1]);
}

