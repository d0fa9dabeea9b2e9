import { s3Error } from '../errors.js';

/**
 * A POST policy (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html): its
 * expiration and conditions checked against the form's fields, with S3's errors as LocalStack's recordings of AWS
 * show them (test_s3.snapshot.json: test_post_request_expires, test_post_object_policy_conditions_validation_eq,
 * _starts_with, test_post_object_policy_validation_size).
 */

/** Fields the policy need not name (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html#sigv4-PolicyConditions). */
const UNCHECKED: ReadonlySet<string> = new Set(['policy', 'x-amz-signature', 'signature', 'awsaccesskeyid', 'file']);

type Condition = readonly unknown[];

const invalidPolicy = (message: string) => s3Error('INVALID_PARAMETER', 400, 'InvalidPolicyDocument', `Invalid Policy: ${message}`);
const denied = (message: string) => s3Error('UNAUTHORIZED', 403, 'AccessDenied', `Invalid according to Policy: ${message}`);

/** What a policy is checked against: the form's fields (names lowercased), the bucket posted to, the file's size. */
export interface PostedForm {
  fields: ReadonlyMap<string, string>;
  bucket: string;
  size: number;
}

/** Checks a base64 policy against the form; throws S3's error. */
export function checkPolicy(encoded: string, form: PostedForm, now: number): void {
  const { fields, bucket, size } = form;
  const policy = decode(encoded);
  if (typeof policy.expiration !== 'string' || !(Date.parse(policy.expiration) > now)) {
    if (typeof policy.expiration !== 'string' || Number.isNaN(Date.parse(policy.expiration))) throw invalidPolicy('Invalid \'expiration\' value');
    throw denied('Policy expired.');
  }
  if (!Array.isArray(policy.conditions)) throw invalidPolicy("Invalid 'conditions' value");
  const named = new Set<string>();
  for (const raw of policy.conditions as unknown[]) {
    const condition = normalise(raw);
    if (condition[0] === 'content-length-range') {
      checkSize(condition, size);
      continue;
    }
    const field = String(condition[1]);
    if (!field.startsWith('$')) throw denied(`Policy Condition failed: ${describe(condition)}`);
    const name = field.slice(1).toLowerCase();
    named.add(name);
    // The bucket is the one in the URL, not a field.
    const value = (name === 'bucket' ? bucket : fields.get(name)) ?? '';
    const expected = String(condition[2]);
    const holds = condition[0] === 'eq' ? value === expected : value.startsWith(expected);
    if (!holds) throw denied(`Policy Condition failed: ${describe(condition)}`);
  }
  const extra = [...fields.keys()].find((name) => !UNCHECKED.has(name) && !name.startsWith('x-ignore-') && !named.has(name));
  if (extra !== undefined) throw denied(`Extra input fields: ${extra}`);
}

function decode(encoded: string): Record<string, unknown> {
  try {
    const policy = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as unknown;
    if (typeof policy === 'object' && policy !== null && !Array.isArray(policy)) return policy as Record<string, unknown>;
  } catch {
    // refused below
  }
  throw invalidPolicy('Invalid JSON.');
}

/** A condition as its array form: {"bucket": "b"} is ["eq", "$bucket", "b"]. */
function normalise(raw: unknown): Condition {
  if (Array.isArray(raw)) {
    const operator = String(raw[0]).toLowerCase();
    if (raw.length !== 3 || !['eq', 'starts-with', 'content-length-range'].includes(operator)) throw invalidPolicy(`Invalid Condition: ${describe(raw)}`);
    return [operator, raw[1], raw[2]];
  }
  if (typeof raw === 'object' && raw !== null) {
    const entries = Object.entries(raw);
    if (entries.length !== 1) throw invalidPolicy('Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.');
    const [name, value] = entries[0]!;
    return ['eq', `$${name}`, value];
  }
  throw invalidPolicy('Invalid Condition');
}

function checkSize(condition: Condition, size: number): void {
  const min = Number(condition[1]);
  const max = Number(condition[2]);
  if (!Number.isInteger(min) || !Number.isInteger(max)) throw denied(`Policy Condition failed: ${describe(condition)}`);
  if (size > max) throw s3Error('REQUEST_TOO_LARGE', 400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', { ProposedSize: size, MaxSizeAllowed: max });
  if (size < min) throw s3Error('INVALID_PARAMETER', 400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', { ProposedSize: size, MinSizeAllowed: min });
}

/** A condition as S3 quotes it in its message: ["eq", "$key", "value"]. */
function describe(condition: readonly unknown[]): string {
  return `[${condition.map((part) => JSON.stringify(typeof part === 'string' ? part : String(part))).join(', ')}]`;
}
