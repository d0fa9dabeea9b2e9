import { accessDenied, authorizationQueryParametersError } from './errors.js';

/** A presigned URL may live a week at most. */
const MAX_EXPIRES_SECONDS = 604_800;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/**
 * Query-string authentication (presigned URLs): signatures are not verified, but expiry is, against the injected
 * clock, as S3 checks it. SigV4 (X-Amz-Date + X-Amz-Expires) and SigV2 (Expires, epoch seconds) forms.
 */
export function checkPresignedExpiry(query: URLSearchParams, now: number): void {
  if (query.has('X-Amz-Credential') || query.has('X-Amz-Signature')) checkV4(query, now);
  else if (query.has('Signature') && query.has('Expires')) checkV2(query, now);
}

function checkV4(query: URLSearchParams, now: number): void {
  const signedAt = parseAmzDate(query.get('X-Amz-Date') ?? '');
  const expiresText = query.get('X-Amz-Expires') ?? '';
  const expires = Number(expiresText);
  if (signedAt === undefined || expiresText === '' || !Number.isInteger(expires)) {
    throw authorizationQueryParametersError(
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    );
  }
  if (expires < 0) throw authorizationQueryParametersError('X-Amz-Expires must be non-negative');
  if (expires > MAX_EXPIRES_SECONDS) {
    throw authorizationQueryParametersError(`X-Amz-Expires must be less than a week (in seconds) that is ${MAX_EXPIRES_SECONDS}`);
  }
  const expiry = signedAt + expires * 1000;
  if (now > expiry) throw accessDenied('Request has expired', { 'X-Amz-Expires': expires, Expires: isoSeconds(expiry), ServerTime: isoSeconds(now) });
}

function checkV2(query: URLSearchParams, now: number): void {
  const expires = Number(query.get('Expires'));
  if (!Number.isFinite(expires)) throw accessDenied();
  if (now > expires * 1000) throw accessDenied('Request has expired', { Expires: isoSeconds(expires * 1000), ServerTime: isoSeconds(now) });
}

function parseAmzDate(text: string): number | undefined {
  const match = AMZ_DATE.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
  return Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
