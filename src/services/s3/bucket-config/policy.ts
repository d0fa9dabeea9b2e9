import { reply, type Reply } from '../../../protocol/index.js';
import type { DeleteBucketPolicyRequest, GetBucketPolicyOutput, GetBucketPolicyRequest, GetBucketPolicyStatusOutput, GetBucketPolicyStatusRequest, PutBucketPolicyRequest, PublicAccessBlockConfiguration } from '../api.js';
import { requireBucket } from '../buckets.js';
import type { S3Context } from '../context.js';
import { isPublicStatement } from '../access/policy-eval.js';
import { accessDenied } from '../errors.js';
import { malformedPolicy, noSuchBucketPolicy } from './errors.js';
import { publicAccessBlockOf } from './ownership.js';
import { bucketConfig, CONFIG, writeConfig } from './store.js';

/** https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html: a bucket policy is at most 20 KB. */
const MAX_POLICY_BYTES = 20 * 1024;
const EFFECTS: ReadonlySet<string> = new Set(['Allow', 'Deny']);

type Statement = Record<string, unknown>;

/** PutBucketPolicy: checked as S3 checks it (test_bucket_policy_exc), then kept exactly as sent. */
export async function putBucketPolicy(input: PutBucketPolicyRequest, { deps }: S3Context): Promise<Reply<Record<string, never>>> {
  const bucket = await requireBucket(deps, input.Bucket);
  const text = input.Policy ?? '';
  const statements = checkPolicy(text, bucket.name);
  if (publicAccessBlockOf(bucket)?.BlockPublicPolicy === true && statements.some(isPublicStatement)) {
    throw accessDenied(
      `User: arn:aws:iam::${deps.accountId}:root is not authorized to perform: s3:PutBucketPolicy on resource: "arn:aws:s3:::${bucket.name}" because public policies are blocked by the BlockPublicPolicy block public access setting.`,
    );
  }
  await writeConfig(deps, bucket.name, CONFIG.policy, text);
  return reply({}, { status: 204 });
}

export async function getBucketPolicy(input: GetBucketPolicyRequest, { deps }: S3Context): Promise<GetBucketPolicyOutput> {
  const { bucket, value } = await bucketConfig<string>(deps, input.Bucket, CONFIG.policy);
  if (value === undefined) throw noSuchBucketPolicy(bucket.name);
  return { Policy: value };
}

export async function deleteBucketPolicy(input: DeleteBucketPolicyRequest, { deps }: S3Context): Promise<void> {
  const bucket = await requireBucket(deps, input.Bucket);
  await writeConfig(deps, bucket.name, CONFIG.policy, undefined);
}

/**
 * GetBucketPolicyStatus: public when a statement allows everyone ("*") without conditions, as S3 judges it
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status).
 */
export async function getBucketPolicyStatus(input: GetBucketPolicyStatusRequest, { deps }: S3Context): Promise<GetBucketPolicyStatusOutput> {
  const { bucket, value } = await bucketConfig<string>(deps, input.Bucket, CONFIG.policy);
  if (value === undefined) throw noSuchBucketPolicy(bucket.name);
  const blocked = (publicAccessBlockOf(bucket) as PublicAccessBlockConfiguration | undefined)?.RestrictPublicBuckets === true;
  return { PolicyStatus: { IsPublic: !blocked && statementsOf(JSON.parse(value) as Record<string, unknown>).some(isPublicStatement) } };
}

/** The statements of a valid policy, or S3's MalformedPolicy. */
function checkPolicy(text: string, bucket: string): Statement[] {
  if (Buffer.byteLength(text) > MAX_POLICY_BYTES) throw malformedPolicy('Policy exceeds the maximum allowed document size.');
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    document = undefined;
  }
  if (text.trimStart()[0] !== '{' || typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw malformedPolicy("Policies must be valid JSON and the first byte must be '{'");
  }
  const policy = document as Record<string, unknown>;
  if (policy.Statement === undefined) throw malformedPolicy('Missing required field Statement');
  const statements = statementsOf(policy);
  if (statements.length === 0) throw malformedPolicy('Could not parse the policy: Statement is empty!');
  for (const statement of statements) checkStatement(statement, bucket);
  return statements;
}

function checkStatement(statement: Statement, bucket: string): void {
  if (typeof statement !== 'object' || statement === null || Array.isArray(statement)) throw malformedPolicy('Statement is not well-formed');
  if (statement.Effect === undefined) throw malformedPolicy('Missing required field Effect');
  if (!EFFECTS.has(String(statement.Effect))) throw malformedPolicy(`Invalid effect: ${String(statement.Effect)}`);
  if (statement.Principal === undefined && statement.NotPrincipal === undefined) throw malformedPolicy('Missing required field Principal');
  if (statement.Action === undefined && statement.NotAction === undefined) throw malformedPolicy('Missing required field Action');
  if (statement.Resource === undefined && statement.NotResource === undefined) throw malformedPolicy('Missing required field Resource');
  const actions = strings(statement.Action ?? statement.NotAction);
  if (actions.some((action) => action !== '*' && !action.toLowerCase().startsWith('s3:'))) throw malformedPolicy('Policy has invalid action');
  const resources = strings(statement.Resource ?? statement.NotResource);
  // A bucket policy may only name this bucket and its objects.
  if (resources.some((resource) => !coversBucket(resource, bucket))) throw malformedPolicy('Policy has invalid resource');
}

function coversBucket(resource: string, bucket: string): boolean {
  if (resource === '*') return true;
  const prefix = 'arn:aws:s3:::';
  if (!resource.startsWith(prefix)) return false;
  const name = resource.slice(prefix.length).split('/')[0]!;
  if (!name.includes('*') && !name.includes('?')) return name === bucket;
  const pattern = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return pattern.test(bucket);
}

function statementsOf(policy: Record<string, unknown>): Statement[] {
  const statement = policy.Statement;
  return (Array.isArray(statement) ? statement : [statement]) as Statement[];
}

function strings(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).map(String);
}
