import { logStreamName } from '../../runtime/index.js';

/** Lambda writes each function's logs to this group (AWS_LAMBDA_LOG_GROUP_NAME). */
export const FUNCTION_GROUP_PREFIX = '/aws/lambda/';

export function functionGroup(functionName: string): string {
  return FUNCTION_GROUP_PREFIX + functionName;
}

/** The function whose log group this is, if it is one. */
export function functionOf(group: string): string | undefined {
  if (!group.startsWith(FUNCTION_GROUP_PREFIX)) return undefined;
  const name = group.slice(FUNCTION_GROUP_PREFIX.length);
  return name === '' ? undefined : name;
}

/** The stream an instance writes to, named as the runtime named it for the instance (runtime/env.ts). */
export function instanceStream(firstTime: number, version: string, instanceId: string): string {
  return logStreamName(firstTime, version, instanceId);
}

/** The instance id in a Lambda stream name (`2026/01/01/[$LATEST]<id>`), without the zeros that pad a short one. */
export function instanceIdsOf(stream: string): string[] {
  const match = /^\d{4}\/\d{2}\/\d{2}\/\[[^\]]+\]([0-9a-f]{32})$/.exec(stream);
  if (!match) return [];
  const id = match[1]!;
  const trimmed = id.replace(/0+$/, '');
  return trimmed === id ? [id] : [id, trimmed, ''];
}

export interface Place {
  region: string;
  accountId: string;
}

/** `arn:aws:logs:<region>:<account>:log-group:<name>` (logGroupArn; `arn` adds `:*`). */
export function groupArn(place: Place, group: string): string {
  return `arn:aws:logs:${place.region}:${place.accountId}:log-group:${group}`;
}

export function streamArn(place: Place, group: string, stream: string): string {
  return `${groupArn(place, group)}:log-stream:${stream}`;
}

/** The group a log group identifier names: its name, or its ARN (with or without the trailing `:*`). */
export function groupFromIdentifier(identifier: string): string {
  const match = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:([^:]+)(:\*)?$/.exec(identifier);
  return match ? match[1]! : identifier;
}

/** The group a resource ARN names (TagResource and friends); undefined for anything else. */
export function groupFromResourceArn(arn: string): string | undefined {
  const match = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:([^:]+)(:\*)?$/.exec(arn);
  return match?.[1];
}
