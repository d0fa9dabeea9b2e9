import type { Clock } from '../../core/index.js';
import type { ScheduleRunner } from './runner.js';
import type { SchedulerState } from './state.js';

/** The region and account whose ARNs this node's Scheduler names. */
export interface Scope {
  region: string;
  accountId: string;
}

/** What every Scheduler operation works with. */
export interface SchedulerContext {
  scope: Scope;
  state: SchedulerState;
  clock: Clock;
  runner: ScheduleRunner;
}

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function groupArn(scope: Scope, name: string): string {
  return `arn:${partitionOf(scope.region)}:scheduler:${scope.region}:${scope.accountId}:schedule-group/${name}`;
}

export function scheduleArn(scope: Scope, group: string, name: string): string {
  return `arn:${partitionOf(scope.region)}:scheduler:${scope.region}:${scope.accountId}:schedule/${group}/${name}`;
}

/** Paging tokens are opaque to clients; inside they are the last key of the previous page. */
export function encodeToken(lastKey: string): string {
  return Buffer.from(lastKey).toString('base64url');
}

export function decodeToken(token: string | undefined): string | undefined {
  return token === undefined ? undefined : Buffer.from(token, 'base64url').toString('utf8');
}

/** One page of `items` (sorted by key) after the token's key. */
export function page<T>(items: T[], keyOf: (item: T) => string, token: string | undefined, max: number | undefined): { items: T[]; nextToken?: string } {
  const after = decodeToken(token);
  const rest = after === undefined ? items : items.filter((item) => keyOf(item) > after);
  const limit = max ?? 100;
  const taken = rest.slice(0, limit);
  const last = taken[taken.length - 1];
  return rest.length > limit && last !== undefined ? { items: taken, nextToken: encodeToken(keyOf(last)) } : { items: taken };
}
