import type { IncomingHttpHeaders } from 'node:http';
import type { CredentialScope } from '../core/index.js';

export type SignatureScope = CredentialScope;

/**
 * The credential scope of a SigV4-signed request, from the Authorization header or a presigned URL's
 * X-Amz-Credential. The service name in the scope is the most reliable way to tell AWS APIs apart on one
 * port. Signatures are verified elsewhere (auth/), in server mode only.
 */
export function signatureScope(headers: IncomingHttpHeaders, query: URLSearchParams): SignatureScope | undefined {
  const auth = headers.authorization;
  const credential = auth?.startsWith('AWS4-HMAC-SHA256') ? credentialOf(auth) : (query.get('X-Amz-Credential') ?? undefined);
  if (!credential) return undefined;
  // Every request is routed by this, so the common case (nothing percent-encoded) skips decoding.
  const [accessKeyId, , region, service] = (credential.includes('%') ? safeDecode(credential) : credential).split('/');
  if (!accessKeyId || !region || !service) return undefined;
  return { accessKeyId, region, service };
}

/** The Credential=... value of a SigV4 Authorization header. */
function credentialOf(auth: string): string | undefined {
  const start = auth.indexOf('Credential=');
  if (start < 0) return undefined;
  let end = start + 'Credential='.length;
  while (end < auth.length && auth[end] !== ',' && auth[end] !== ' ' && auth[end] !== '\t') end++;
  return auth.slice(start + 'Credential='.length, end) || undefined;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** JSON-protocol services name themselves in X-Amz-Target even without a signature. */
export function targetService(headers: IncomingHttpHeaders): string | undefined {
  const target = headers['x-amz-target'];
  if (typeof target !== 'string') return undefined;
  if (target.startsWith('DynamoDB_')) return 'dynamodb';
  if (target.startsWith('DynamoDBStreams_')) return 'dynamodb';
  if (target.startsWith('AmazonSQS.')) return 'sqs';
  if (target.startsWith('Logs_20140328.')) return 'logs';
  if (target.startsWith('AWSEvents.')) return 'events';
  if (target.startsWith('AmazonSSM.')) return 'ssm';
  if (target.startsWith('secretsmanager.')) return 'secretsmanager';
  return undefined;
}

/** STS operations that take no credentials (the token or assertion is the proof), so clients send them unsigned. */
const UNSIGNED_STS_ACTIONS = new Set(['AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML']);

/**
 * Requests that name their service without SigV4: S3's SigV2 presigned URLs and headers (Debian's boto3
 * presigns with SigV2 by default), the confirmation and unsubscribe links SNS sends to subscribers, and STS sign-ins
 * by web identity or SAML in a query string.
 */
export function legacyService(headers: IncomingHttpHeaders, query: URLSearchParams): string | undefined {
  if (query.has('AWSAccessKeyId') && query.has('Signature')) return 's3';
  if (headers.authorization?.startsWith('AWS ')) return 's3';
  const action = query.get('Action');
  if (action === 'ConfirmSubscription' || action === 'Unsubscribe') return 'sns';
  if (action && UNSIGNED_STS_ACTIONS.has(action)) return 'sts';
  return undefined;
}

/** Whether an unsigned form body calls one of STS's unsigned operations. */
export function unsignedStsAction(body: Buffer): boolean {
  if (body.length === 0 || body.length > 64 * 1024) return false;
  const action = new URLSearchParams(body.toString('utf8')).get('Action');
  return action !== null && UNSIGNED_STS_ACTIONS.has(action);
}
