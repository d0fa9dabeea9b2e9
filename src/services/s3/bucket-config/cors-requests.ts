import type { ServiceRequest, ServiceResponse } from '../../../core/index.js';
import { AwsError } from '../../../protocol/index.js';
import type { BucketInfo, ObjectStore } from '../../../storage/index.js';
import { parseAddress, type Address } from '../address.js';
import type { CORSRule } from '../api.js';
import { errorResponse, requestIds } from '../error-response.js';
import { corsForbidden, corsNeedsOrigin } from './errors.js';
import { CONFIG, readConfig } from './store.js';

/**
 * CORS in effect, as S3 applies a bucket's rules (https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html,
 * and the recordings in LocalStack's test_s3_cors.snapshot.json): a preflight OPTIONS is answered by the first rule
 * whose origin, method and requested headers all match; an actual request with an Origin gets the matching rule's
 * Access-Control-* headers and is otherwise served as usual.
 */

const VARY = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';
const NOT_ALLOWED =
  "This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";

/** Answers preflights and adds CORS headers to answers, from the addressed bucket's rules. */
export class BucketCors {
  constructor(private readonly objects: ObjectStore) {}

  /** An OPTIONS request: S3's answer to it as a preflight (OPTIONS is no operation of the model). */
  async preflight(request: ServiceRequest): Promise<ServiceResponse> {
    const ids = requestIds(request.requestId);
    try {
      const address = parseAddress(request.host, request.rawPath);
      const bucket = address.bucket === undefined ? undefined : await this.objects.getBucket(address.bucket);
      return { status: 200, headers: { ...ids, ...preflightHeaders(request, address, bucket) }, body: undefined };
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      return errorResponse(error, request.requestId);
    }
  }

  /** The answer to an actual request, with the Access-Control-* headers of the rule its Origin and method match. */
  async decorate(request: ServiceRequest, response: ServiceResponse): Promise<ServiceResponse> {
    if (request.headers.origin === undefined) return response;
    const address = safeAddress(request);
    const bucket = address?.bucket === undefined ? undefined : await this.objects.getBucket(address.bucket);
    if (!bucket) return response;
    const headers = actualRequestHeaders(request, bucket);
    return Object.keys(headers).length === 0 ? response : { ...response, headers: { ...response.headers, ...headers } };
  }
}

/** The headers of a successful preflight, or the AwsError S3 answers with. */
function preflightHeaders(request: ServiceRequest, address: Address, bucket: BucketInfo | undefined): Record<string, string> {
  const origin = header(request, 'origin');
  if (origin === undefined) throw corsNeedsOrigin();
  const asked = header(request, 'access-control-request-method');
  const resource = address.key === undefined ? 'BUCKET' : 'OBJECT';
  if (!bucket) throw corsForbidden('Bucket not found', asked ?? 'OPTIONS', resource);
  const rules = readConfig<CORSRule[]>(bucket, CONFIG.cors);
  if (!rules) throw corsForbidden('CORS is not enabled for this bucket.', asked ?? 'OPTIONS', resource);
  const requested = requestedHeaders(request);
  const rule = asked === undefined ? undefined : rules.find((candidate) => allows(candidate, origin, asked, requested));
  if (!rule) throw corsForbidden(NOT_ALLOWED, asked ?? 'OPTIONS', resource);
  const headers = ruleHeaders(rule, origin);
  if (requested.length > 0) headers['Access-Control-Allow-Headers'] = requested.join(', ');
  return headers;
}

/** The Access-Control-* headers an actual request gets (none without an Origin or a rule for its method). */
function actualRequestHeaders(request: ServiceRequest, bucket: BucketInfo): Record<string, string> {
  const origin = header(request, 'origin');
  if (origin === undefined) return {};
  const rules = readConfig<CORSRule[]>(bucket, CONFIG.cors);
  const rule = rules?.find((candidate) => allows(candidate, origin, request.method, []));
  return rule ? ruleHeaders(rule, origin) : {};
}

function safeAddress(request: ServiceRequest): Address | undefined {
  try {
    return parseAddress(request.host, request.rawPath);
  } catch {
    return undefined;
  }
}

function allows(rule: CORSRule, origin: string, method: string, requested: readonly string[]): boolean {
  if (!rule.AllowedMethods.includes(method)) return false;
  if (!rule.AllowedOrigins.some((pattern) => wildcardMatch(pattern, origin, false))) return false;
  const allowed = rule.AllowedHeaders ?? [];
  return requested.every((name) => allowed.some((pattern) => wildcardMatch(pattern, name, true)));
}

function ruleHeaders(rule: CORSRule, origin: string): Record<string, string> {
  const anyOrigin = rule.AllowedOrigins.includes('*');
  const headers: Record<string, string> = {};
  // A rule for any origin answers "*" and no credentials; a named origin is echoed with credentials allowed.
  if (!anyOrigin) headers['Access-Control-Allow-Credentials'] = 'true';
  headers['Access-Control-Allow-Methods'] = rule.AllowedMethods.join(', ');
  headers['Access-Control-Allow-Origin'] = anyOrigin ? '*' : origin;
  if (rule.ExposeHeaders?.length) headers['Access-Control-Expose-Headers'] = rule.ExposeHeaders.join(', ');
  if (rule.MaxAgeSeconds !== undefined) headers['Access-Control-Max-Age'] = String(rule.MaxAgeSeconds);
  headers.Vary = VARY;
  return headers;
}

/** Access-Control-Request-Headers as a list of lowercase names. */
function requestedHeaders(request: ServiceRequest): string[] {
  const value = header(request, 'access-control-request-headers');
  if (value === undefined) return [];
  return value
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
}

/** A CORS pattern with at most one "*" (checked when the configuration was put); header names ignore case. */
function wildcardMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  const star = p.indexOf('*');
  if (star < 0) return p === v;
  const prefix = p.slice(0, star);
  const suffix = p.slice(star + 1);
  return v.length >= prefix.length + suffix.length && v.startsWith(prefix) && v.endsWith(suffix);
}

function header(request: ServiceRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
