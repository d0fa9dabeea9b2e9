import { bufferBody, type Clock, type RequestBody, type ServiceRequest } from '../../core/index.js';
import { AwsError } from '../../protocol/index.js';
import { canonicalHeaders, canonicalQuery, canonicalRequest, canonicalUri } from './canonical.js';
import { verifiedChunks, hashedBody } from './chunks.js';
import * as refuse from './errors.js';
import { amzDateMs, first, isSigV4Header, isSigV4Query, parseHeaderClaim, parseQueryClaim, ALGORITHM, type SigV4Claim } from './parse.js';
import type { KeySecret, SecretLookup } from './secrets.js';
import { sameSignature, sha256Hex, SigningKeys } from './signing.js';
import { isSigV2, parseSigV2, sigV2Signature, sigV2StringToSign } from './sigv2.js';

/** S3 allows 15 minutes between a request's date and its own clock; the other services 5. */
const S3_SKEW_MS = 15 * 60 * 1000;
const SKEW_MS = 5 * 60 * 1000;
/** The largest body a non-S3 request may have for the verifier to hash it (the services' own limits are lower). */
const HASHED_BODY_LIMIT = 64 * 1024 * 1024;
const UNSIGNED = 'UNSIGNED-PAYLOAD';
const STREAMING = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
const STREAMING_TRAILER = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';

/** A verified request (its body replaced by one that checks what is left to check as it streams), or the refusal. */
export type Verdict = { request: ServiceRequest } | { refused: AwsError };

/**
 * Verifies the signature of a request to an AWS-compatible API: SigV4 in the Authorization header or in a presigned
 * URL (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html), S3's streamed
 * chunk signatures, and S3's SigV2. Keys are looked up with `secrets`; the node's clock dates requests.
 */
export class RequestVerifier {
  private readonly keys = new SigningKeys();

  constructor(
    private readonly secrets: SecretLookup,
    private readonly clock: Clock,
  ) {}

  /**
   * `service` is the API the request was routed to. Unsigned requests to S3 pass (S3 decides anonymous access from
   * its bucket policies, ACLs and POST policies); unsigned requests to the others are refused.
   */
  async verify(request: ServiceRequest, service: string): Promise<Verdict> {
    const family = refuse.familyOf(service, request.headers);
    if (isSigV4Header(request.headers)) return this.sigV4(request, service, family, parseHeaderClaim(request.headers));
    if (isSigV4Query(request.query)) return this.sigV4(request, service, family, parseQueryClaim(request.query));
    if (service === 's3' && isSigV2(request)) return this.sigV2(request);
    if (service === 's3') return { request };
    return { refused: refuse.missingToken(family) };
  }

  /** The secret of a key, checked with the session token sent; or the refusal. */
  async secretOf(accessKeyId: string, token: string | undefined, family: refuse.Family): Promise<KeySecret | AwsError> {
    const secret = await this.secrets(accessKeyId);
    if (!secret) return refuse.unknownKey(family, accessKeyId);
    if (secret.sessionToken !== undefined && token !== secret.sessionToken) return refuse.badToken(family);
    if (secret.expiration !== undefined && secret.expiration <= this.clock.now()) return refuse.expiredToken(family);
    return secret;
  }

  /** Signs a string for a key and scope with the cached signing key (POST policies, chunk signatures). */
  sign(secret: string, scope: SigV4Claim['scope'], stringToSign: string): string {
    return this.keys.sign(secret, scope, stringToSign);
  }

  private async sigV4(request: ServiceRequest, service: string, family: refuse.Family, claim: SigV4Claim | { malformed: string }): Promise<Verdict> {
    if ('malformed' in claim) return { refused: refuse.incomplete(family, claim.malformed, isSigV4Query(request.query)) };
    const timing = this.checkTime(claim, family);
    if (timing) return { refused: timing };
    const secret = await this.secretOf(claim.accessKeyId, claim.sessionToken, family);
    if (secret instanceof AwsError) return { refused: secret };
    const payload = await payloadOf(request, service, claim);
    if (payload instanceof AwsError) return { refused: payload };
    const canonical = canonicalRequest({
      method: request.method,
      uri: canonicalUri(request.rawPath, service),
      query: canonicalQuery(request.query, claim.presigned ? 'X-Amz-Signature' : undefined),
      headers: canonicalHeaders(request.rawHeaders, claim.signedHeaders),
      signedHeaders: claim.signedHeaders.join(';'),
      payloadHash: payload.hash,
    });
    const stringToSign = `${ALGORITHM}\n${claim.amzDate}\n${claim.scopeText}\n${sha256Hex(canonical)}`;
    const expected = this.keys.sign(secret.secretAccessKey, claim.scope, stringToSign);
    const report = { accessKeyId: claim.accessKeyId, provided: claim.signature, stringToSign, canonicalRequest: canonical };
    if (!sameSignature(expected, claim.signature) || payload.mismatch) return { refused: refuse.signatureMismatch(family, report) };
    return { request: { ...request, body: this.checkedBody(request, payload, { claim, seed: expected, secret: secret.secretAccessKey }) } };
  }

  /** A header-signed request must be within the skew of the node's clock; a presigned URL within its lifetime. */
  private checkTime(claim: SigV4Claim, family: refuse.Family): AwsError | undefined {
    const now = this.clock.now();
    const signedAt = amzDateMs(claim.amzDate);
    if (claim.presigned) {
      const expires = signedAt + (claim.expires ?? 900) * 1000;
      return now > expires ? refuse.presignExpired(family, expires, now, claim.expires === undefined ? undefined : String(claim.expires)) : undefined;
    }
    const allowed = family === 's3' ? S3_SKEW_MS : SKEW_MS;
    return Math.abs(now - signedAt) > allowed ? refuse.skewed(family, claim.amzDate, now, allowed) : undefined;
  }

  /** The body the service reads: streamed chunks checked one by one, a signed S3 payload hashed as it passes. */
  private checkedBody(request: ServiceRequest, payload: Payload, signer: { claim: SigV4Claim; seed: string; secret: string }): RequestBody {
    if (payload.body) return payload.body;
    const { claim } = signer;
    if (payload.hash === STREAMING || payload.hash === STREAMING_TRAILER) {
      return verifiedChunks(request.body, {
        amzDate: claim.amzDate,
        scopeText: claim.scopeText,
        seed: signer.seed,
        signedTrailer: payload.hash === STREAMING_TRAILER,
        sign: (stringToSign) => this.keys.sign(signer.secret, claim.scope, stringToSign),
        refuse: (provided, stringToSign) => refuse.signatureMismatch('s3', { accessKeyId: claim.accessKeyId, provided, stringToSign }),
      });
    }
    if (/^[0-9a-f]{64}$/.test(payload.hash)) return hashedBody(request.body, payload.hash, (computed) => contentHashMismatch(payload.hash, computed));
    return request.body;
  }

  private async sigV2(request: ServiceRequest): Promise<Verdict> {
    const claim = parseSigV2(request);
    if (!claim) return { refused: refuse.incomplete('s3', 'Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters', true) };
    const now = this.clock.now();
    if (claim.expires !== undefined && claim.expires * 1000 < now) return { refused: refuse.presignExpired('s3', claim.expires * 1000, now) };
    if (claim.dateMs !== undefined && Math.abs(now - claim.dateMs) > S3_SKEW_MS) {
      return { refused: refuse.skewed('s3', first(request.headers['x-amz-date']) ?? first(request.headers.date) ?? '', now, S3_SKEW_MS) };
    }
    const secret = await this.secretOf(claim.accessKeyId, claim.sessionToken, 's3');
    if (secret instanceof AwsError) return { refused: secret };
    const stringToSign = sigV2StringToSign(request, claim);
    if (!sameSignature(sigV2Signature(secret.secretAccessKey, stringToSign), claim.signature)) {
      return { refused: refuse.signatureMismatch('s3', { accessKeyId: claim.accessKeyId, provided: claim.signature, stringToSign }) };
    }
    return { request };
  }
}

/** The payload hash a signature covers, and the body already read to compute it (services other than S3). */
interface Payload {
  hash: string;
  body?: RequestBody;
  /** The body does not hash to the x-amz-content-sha256 the client signed. */
  mismatch?: boolean;
}

async function payloadOf(request: ServiceRequest, service: string, claim: SigV4Claim): Promise<Payload | AwsError> {
  const declared = first(request.headers['x-amz-content-sha256']);
  if (service === 's3') {
    // S3 signs what the client declares (a hash, UNSIGNED-PAYLOAD, a streaming mode); the body is checked as it streams.
    if (claim.presigned) return { hash: request.query.get('X-Amz-Content-Sha256') ?? declared ?? UNSIGNED };
    if (declared === undefined) return new AwsError('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256', { status: 400 });
    return { hash: declared };
  }
  // The other APIs' bodies are small documents: read, hashed, and handed on.
  const bytes = await request.body.read(HASHED_BODY_LIMIT);
  if (!bytes) return { hash: declared ?? UNSIGNED, mismatch: true };
  const hash = sha256Hex(bytes);
  const body = bufferBody(bytes);
  if (declared !== undefined && declared !== UNSIGNED) return { hash: declared, body, mismatch: declared !== hash };
  return { hash: declared ?? hash, body };
}

/** S3's answer when a body does not hash to the x-amz-content-sha256 it was signed with. */
function contentHashMismatch(declared: string, computed: string): AwsError {
  return new AwsError('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", {
    status: 400,
    fields: { ClientComputedContentSHA256: declared, S3ComputedContentSHA256: computed },
  });
}
