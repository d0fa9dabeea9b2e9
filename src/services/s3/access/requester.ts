import { createHash } from 'node:crypto';
import type { S3Call } from '../call.js';
import { header } from '../call.js';

/** Who a principal of another account is, as the platform's identity port answers. */
export interface S3Principal {
  accountId: string;
  /** arn:aws:sts::ACCT:assumed-role/Role/session, arn:aws:iam::ACCT:user/name, ... */
  arn: string;
}

/**
 * The port through which S3 asks who signed a request (the platform hands it in from IAM/STS): the principal of
 * temporary credentials STS issued, 'refused' for credentials STS no longer honours (expired, wrong token), and
 * undefined for any other key, which is the node's own account.
 */
export interface S3Principals {
  whoIs(accessKeyId: string, sessionToken: string | undefined): Promise<S3Principal | 'refused' | undefined>;
}

/**
 * Who a request acts for: the bucket owner (the node's own account, always allowed, as before), nobody (an unsigned
 * request), or a principal of another account, who gets only what the bucket's policy and ACLs grant.
 */
export type Requester =
  | { kind: 'owner' }
  | { kind: 'anonymous' }
  | { kind: 'refused' }
  | { kind: 'account'; accountId: string; arn: string; canonicalId: string };

/** The canonical user id S3 shows for an account: a fixed digest of its id (the owner's since the first release). */
export function canonicalIdOf(accountId: string): string {
  return createHash('sha256').update(`flint:${accountId}`).digest('hex');
}

const SIGV4_CREDENTIAL = /Credential=([^/,\s]+)/;

/** The access key a request is signed with (SigV4 or SigV2, header or query), or undefined when it is unsigned. */
export function accessKeyOf(call: S3Call): string | undefined {
  const auth = header(call, 'authorization');
  if (auth?.startsWith('AWS4-')) return SIGV4_CREDENTIAL.exec(auth)?.[1];
  if (auth?.startsWith('AWS ')) return auth.slice(4).split(':')[0];
  const credential = call.query.get('X-Amz-Credential');
  if (credential) return credential.split('/')[0];
  return call.query.get('AWSAccessKeyId') ?? undefined;
}

/**
 * Resolves the requester. Only keys STS issues (ASIA…) can belong to another account, so every other signed
 * request is the owner's without asking the port; so are sessions of the owner's own account.
 */
export async function requesterOf(call: S3Call, principals: S3Principals | undefined, ownerAccount: string): Promise<Requester> {
  const key = accessKeyOf(call);
  if (key === undefined) return { kind: 'anonymous' };
  if (!principals || !key.startsWith('ASIA')) return { kind: 'owner' };
  const token = header(call, 'x-amz-security-token') ?? call.query.get('X-Amz-Security-Token') ?? undefined;
  const principal = await principals.whoIs(key, token);
  if (principal === 'refused') return { kind: 'refused' };
  if (!principal || principal.accountId === ownerAccount) return { kind: 'owner' };
  return { kind: 'account', accountId: principal.accountId, arn: principal.arn, canonicalId: canonicalIdOf(principal.accountId) };
}
