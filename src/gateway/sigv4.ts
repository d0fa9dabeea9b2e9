import type { IncomingHttpHeaders } from 'node:http';

export interface SignatureScope {
  accessKeyId: string;
  region: string;
  service: string;
}

/**
 * The credential scope of a SigV4-signed request, from the Authorization header or a presigned URL's
 * X-Amz-Credential. The service name in the scope is the most reliable way to tell AWS APIs apart on one
 * port. Signatures are not verified: like other local emulators Flint accepts any credentials.
 */
export function signatureScope(headers: IncomingHttpHeaders, query: URLSearchParams): SignatureScope | undefined {
  const auth = headers.authorization;
  const credential = auth?.startsWith('AWS4-HMAC-SHA256') ? /Credential=([^,\s]+)/.exec(auth)?.[1] : query.get('X-Amz-Credential') ?? undefined;
  if (!credential) return undefined;
  const [accessKeyId, , region, service] = decodeURIComponent(credential).split('/');
  if (!accessKeyId || !region || !service) return undefined;
  return { accessKeyId, region, service };
}

/** JSON-protocol services name themselves in X-Amz-Target even without a signature. */
export function targetService(headers: IncomingHttpHeaders): string | undefined {
  const target = headers['x-amz-target'];
  if (typeof target !== 'string') return undefined;
  if (target.startsWith('DynamoDB_')) return 'dynamodb';
  if (target.startsWith('DynamoDBStreams_')) return 'dynamodb';
  if (target.startsWith('AmazonSQS.')) return 'sqs';
  return undefined;
}

/**
 * Requests that name their service without SigV4: S3's SigV2 presigned URLs and headers (Debian's boto3
 * presigns with SigV2 by default), and the confirmation and unsubscribe links SNS sends to subscribers.
 */
export function legacyService(headers: IncomingHttpHeaders, query: URLSearchParams): string | undefined {
  if (query.has('AWSAccessKeyId') && query.has('Signature')) return 's3';
  if (headers.authorization?.startsWith('AWS ')) return 's3';
  const action = query.get('Action');
  if (action === 'ConfirmSubscription' || action === 'Unsubscribe') return 'sns';
  return undefined;
}
