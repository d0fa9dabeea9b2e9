import type { DeadLetterTarget, MessageStore } from '../../storage/index.js';
import { invalidParameter } from './errors.js';
import { nameFromArn, queueArn, type Scope } from './names.js';

/**
 * RedrivePolicy: `{"deadLetterTargetArn": "...", "maxReceiveCount": n}` on the wire, a typed DeadLetterTarget in the
 * store (by queue name, so the policy reads the same whatever host or account the node is reached under).
 */

const MAX_RECEIVE_COUNT = 1000;

/** undefined for an empty policy (it removes the redrive target). */
export async function parseRedrivePolicy(store: MessageStore, scope: Scope, policy: string, fifo: boolean): Promise<DeadLetterTarget | undefined> {
  if (policy.trim() === '' || policy.trim() === '{}') return undefined;
  const fail = (reason: string) => invalidParameter('RedrivePolicy', policy, reason);
  let parsed: unknown;
  try {
    parsed = JSON.parse(policy);
  } catch {
    throw fail('Redrive policy is not a dict or valid json.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw fail('Redrive policy is not a dict or valid json.');
  const { deadLetterTargetArn, maxReceiveCount } = parsed as Record<string, unknown>;
  if (typeof deadLetterTargetArn !== 'string') throw fail('Redrive policy does not contain deadLetterTargetArn.');
  const count = Number(maxReceiveCount);
  if (maxReceiveCount === undefined || !Number.isInteger(count) || count < 1 || count > MAX_RECEIVE_COUNT) {
    throw fail(`Invalid value for maxReceiveCount: ${String(maxReceiveCount)}, valid values are from 1 to ${MAX_RECEIVE_COUNT} both inclusive.`);
  }
  const name = nameFromArn(scope, deadLetterTargetArn);
  const target = name === undefined ? undefined : await store.getQueue(name);
  if (!target) throw fail('Dead letter target does not exist.');
  if (target.fifo !== fifo) throw fail('Dead-letter queue must be same type of queue as the source.');
  return { queue: target.name, maxReceiveCount: count };
}

export function renderRedrivePolicy(scope: Scope, target: DeadLetterTarget): string {
  return JSON.stringify({ deadLetterTargetArn: queueArn(scope, target.queue), maxReceiveCount: target.maxReceiveCount });
}

export function sameTarget(a: DeadLetterTarget | undefined, b: DeadLetterTarget | undefined): boolean {
  return a?.queue === b?.queue && a?.maxReceiveCount === b?.maxReceiveCount;
}
