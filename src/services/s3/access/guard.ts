import type { Handler, Handlers } from '../../../protocol/index.js';
import type { BucketInfo } from '../../../storage/index.js';
import type { Operations } from '../api.js';
import { header, type S3Call, type S3Context } from '../context.js';
import { parseCopySource } from '../copy-source.js';
import { accessDenied, methodNotAllowed } from '../errors.js';
import { actionOf } from './actions.js';
import { mayAccess, objectAt, type AccessTarget } from './check.js';

import type { ConditionKeys, Outsider } from './policy-eval.js';

/** The input members that say what a request acts on. */
interface TargetInput {
  Bucket?: string;
  Key?: string;
  VersionId?: string;
  CopySource?: string;
  Delete?: { Objects?: { Key?: string; VersionId?: string }[] };
}

/**
 * Operations only the bucket owner's account may call, whatever the policy grants: another account allowed by the
 * policy gets 405 (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html, "Permissions").
 */
const OWNER_ONLY: ReadonlySet<string> = new Set(['GetBucketPolicy', 'PutBucketPolicy', 'DeleteBucketPolicy']);

/** Every handler, behind the access check of the operation it serves. */
export function guardAll(handlers: Handlers<Operations, S3Context>): Handlers<Operations, S3Context> {
  const guarded: Record<string, Handler<unknown, unknown, S3Context>> = {};
  for (const [operation, handler] of Object.entries(handlers) as [string, Handler<unknown, unknown, S3Context>][]) {
    guarded[operation] = async (input, context) => {
      await authorize(operation, input as TargetInput, context);
      return handler(input, context);
    };
  }
  // The same handlers by the same names, so the table keeps its type.
  return guarded as Handlers<Operations, S3Context>;
}

/**
 * The bucket owner's account may do anything, as before. Anyone else (an unsigned request, a principal of another
 * account) needs a grant from the bucket policy or an ACL for every resource the request touches, or gets 403
 * AccessDenied. A bucket that does not exist answers NoSuchBucket to anyone, as S3 does. Without a bucket
 * (ListBuckets, CreateBucket) an anonymous request is refused and another account acts for itself.
 */
async function authorize(operation: string, input: TargetInput, context: S3Context): Promise<void> {
  const requester = await context.requester();
  if (requester.kind === 'owner') return;
  if (requester.kind === 'refused') throw accessDenied();
  if (input.Bucket === undefined || operation === 'CreateBucket') {
    if (requester.kind === 'anonymous') throw accessDenied();
    return;
  }
  const bucket = await context.buckets.get(input.Bucket);
  if (!bucket) return;
  const keys = conditionKeys(context, requester, input);
  for (const target of await targetsOf(operation, input, bucket, context)) {
    if (!(await mayAccess(context.deps, requester, target, keys))) throw accessDenied();
  }
  if (OWNER_ONLY.has(operation)) throw methodNotAllowed(context.call.method, 'BUCKET');
  if (READS.has(operation) && input.Key !== undefined && !(await exists(context, bucket, input.Key, input.VersionId))) {
    if (!(await mayAccess(context.deps, requester, { bucket, action: 's3:ListBucket' }, keys))) throw accessDenied();
  }
}

/**
 * Object reads whose missing key is 404 only to who may list the bucket, and 403 to anyone else
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html, "Permissions").
 */
const READS: ReadonlySet<string> = new Set(['GetObject', 'HeadObject', 'GetObjectAttributes', 'GetObjectAcl', 'GetObjectTagging']);

async function exists(context: S3Context, bucket: BucketInfo, key: string, versionId: string | undefined): Promise<boolean> {
  const object = await objectAt(context.deps, bucket, key, versionId);
  return object !== undefined && !object.deleteMarker;
}

/** What the request acts on: its bucket or object, each key of DeleteObjects, and a copy's source as well. */
async function targetsOf(operation: string, input: TargetInput, bucket: BucketInfo, context: S3Context): Promise<AccessTarget[]> {
  if (operation === 'DeleteObjects') {
    return (input.Delete?.Objects ?? []).map((item) => ({ bucket, key: item.Key ?? '', versionId: item.VersionId, action: actionOf('DeleteObject', item.VersionId !== undefined) }));
  }
  const target: AccessTarget = { bucket, key: input.Key, versionId: input.VersionId, action: actionOf(operation, input.VersionId !== undefined) };
  if ((operation !== 'CopyObject' && operation !== 'UploadPartCopy') || input.CopySource === undefined) return [target];
  const source = sourceOf(input.CopySource);
  const sourceBucket = source && (await context.buckets.get(source.bucket));
  if (!source || !sourceBucket) return [target];
  return [target, { bucket: sourceBucket, key: source.key, versionId: source.versionId, action: actionOf('GetObject', source.versionId !== undefined) }];
}

/** A copy source, or undefined when it is malformed (the handler then answers S3's error for it). */
function sourceOf(value: string): ReturnType<typeof parseCopySource> | undefined {
  try {
    return parseCopySource(value);
  } catch {
    return undefined;
  }
}

/**
 * The condition keys a bucket policy may test
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html). Flint listens on plain HTTP,
 * so aws:SecureTransport is "false" unless the request came through https.
 */
function conditionKeys(context: S3Context, requester: Outsider, input: TargetInput): ConditionKeys {
  const { call } = context;
  const keys = new Map<string, string>();
  const now = context.deps.clock.now();
  keys.set('aws:sourceip', call.sourceIp);
  keys.set('aws:securetransport', String(call.baseUrl.startsWith('https:')));
  keys.set('aws:currenttime', new Date(now).toISOString());
  keys.set('aws:epochtime', String(Math.floor(now / 1000)));
  setHeader(keys, 'aws:referer', call, 'referer');
  setHeader(keys, 'aws:useragent', call, 'user-agent');
  setHeader(keys, 's3:x-amz-acl', call, 'x-amz-acl');
  setHeader(keys, 's3:x-amz-server-side-encryption', call, 'x-amz-server-side-encryption');
  setHeader(keys, 's3:x-amz-copy-source', call, 'x-amz-copy-source');
  if (requester.kind === 'account') {
    keys.set('aws:principalaccount', requester.accountId);
    keys.set('aws:principalarn', requester.arn);
  }
  for (const name of ['prefix', 'delimiter', 'max-keys']) {
    const value = call.query.get(name);
    if (value !== null) keys.set(`s3:${name}`, value);
  }
  if (input.VersionId !== undefined) keys.set('s3:versionid', input.VersionId);
  return keys;
}

function setHeader(keys: Map<string, string>, key: string, call: S3Call, name: string): void {
  const value = header(call, name);
  if (value !== undefined) keys.set(key, value);
}
