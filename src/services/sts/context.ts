import type { Clock, ServiceRequest } from '../../core/index.js';
import type { Caller, Identity, RoleInfo } from '../iam/index.js';
import { expiredToken, invalidClientToken } from './errors.js';

/** The roles STS can be asked to assume: IAM's, found by ARN. */
export interface RoleDirectory {
  role(arn: string): Promise<RoleInfo | undefined>;
  /** Records that a role was assumed (IAM's RoleLastUsed). */
  roleUsed(arn: string, region: string): Promise<void>;
}

export interface StsContext {
  identity: Identity;
  roles: RoleDirectory;
  clock: Clock;
  region: string;
}

export interface StsCall {
  sts: StsContext;
  request: ServiceRequest;
}

/** The caller of a signed call, or STS's refusal of its credentials (expired, or a token that is not the key's). */
export async function callerOf(call: StsCall): Promise<Caller> {
  const header = call.request.headers['x-amz-security-token'];
  const token = typeof header === 'string' ? header : (call.request.query.get('X-Amz-Security-Token') ?? undefined);
  const answer = await call.sts.identity.whoIs(call.request.credential?.accessKeyId, token);
  if ('caller' in answer) return answer.caller;
  throw answer.refused === 'expired' ? expiredToken() : invalidClientToken();
}
