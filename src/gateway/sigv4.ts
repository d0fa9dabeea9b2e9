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
