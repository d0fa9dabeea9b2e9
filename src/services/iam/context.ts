import type { Clock, ServiceRequest } from '../../core/index.js';
import type { AwsManagedPolicy } from './aws-managed.js';
import type { Identity } from './identity.js';
import type { IamStore } from './store.js';

/** What every IAM operation works with. */
export interface IamContext {
  store: IamStore;
  identity: Identity;
  accountId: string;
  partition: string;
  clock: Clock;
  /** The AWS managed policies, by ARN. */
  managed: ReadonlyMap<string, AwsManagedPolicy>;
}

/** One call: IAM's state and the request it came in (whose access key names the caller). */
export interface IamCall {
  iam: IamContext;
  request: ServiceRequest;
}

/** An entity's ARN: arn:aws:iam::ACCT:role/path/name. */
export function entityArn(ctx: IamContext, kind: 'role' | 'user' | 'group' | 'policy' | 'instance-profile', path: string, name: string): string {
  return `arn:${ctx.partition}:iam::${ctx.accountId}:${kind}${path}${name}`;
}
