import type { IamContext } from './context.js';
import { editEntity, entity } from './entities.js';
import { limitExceeded, noSuchInlinePolicy, policyNotAttachable, policyNotFound, type EntityKind } from './errors.js';
import { page, pageInOrder, type Page } from './paging.js';
import { checkPolicyDocument, nonWhitespaceLength } from './policy-document.js';
import { findPolicy } from './policies.js';
import type { PrincipalRecord } from './records.js';

/**
 * Inline policies (Put/Get/List/Delete Role/User/GroupPolicy) and attached managed policies
 * (Attach/Detach/ListAttached Role/User/GroupPolicies), the same for the three kinds of principal.
 * Quotas are IAM's defaults (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html): inline
 * policies of a role 10,240 characters together, of a user 2,048, of a group 5,120 (whitespace not counted);
 * ten managed policies attached to each.
 */
const COLLECTION = { role: 'roles', user: 'users', group: 'groups' } as const;
const INLINE_SIZE: Record<EntityKind, number> = { role: 10240, user: 2048, group: 5120 };
const ATTACHED_QUOTA = 10;
const QUOTA_NAME: Record<EntityKind, string> = { role: 'PoliciesPerRole', user: 'PoliciesPerUser', group: 'PoliciesPerGroup' };

function principal(ctx: IamContext, kind: EntityKind, name: string): Promise<PrincipalRecord> {
  return entity(ctx, COLLECTION[kind], name);
}

async function change(ctx: IamContext, kind: EntityKind, name: string, edit: (record: PrincipalRecord) => void): Promise<void> {
  await editEntity(ctx, COLLECTION[kind], name, edit);
}

export async function putInline(ctx: IamContext, kind: EntityKind, name: string, policyName: string, document: string): Promise<void> {
  checkPolicyDocument(document, 'identity');
  await change(ctx, kind, name, (record) => {
    const others = Object.entries(record.inline).filter(([existing]) => existing !== policyName);
    const size = others.reduce((sum, [, text]) => sum + nonWhitespaceLength(text), nonWhitespaceLength(document));
    if (size > INLINE_SIZE[kind]) throw limitExceeded(`Maximum policy size of ${INLINE_SIZE[kind]} bytes exceeded for ${kind} ${record.name}`);
    record.inline[policyName] = document;
  });
}

export async function getInline(ctx: IamContext, kind: EntityKind, name: string, policyName: string): Promise<{ name: string; document: string }> {
  const record = await principal(ctx, kind, name);
  const document = record.inline[policyName];
  if (document === undefined) throw noSuchInlinePolicy(kind, policyName);
  return { name: record.name, document };
}

export async function listInline(ctx: IamContext, kind: EntityKind, name: string, marker?: string, maxItems?: number): Promise<Page<string>> {
  const record = await principal(ctx, kind, name);
  return page(Object.keys(record.inline), (policyName) => policyName, marker, maxItems);
}

export async function deleteInline(ctx: IamContext, kind: EntityKind, name: string, policyName: string): Promise<void> {
  await change(ctx, kind, name, (record) => {
    if (record.inline[policyName] === undefined) throw noSuchInlinePolicy(kind, policyName);
    delete record.inline[policyName];
  });
}

/** Attaching a policy that is attached already changes nothing, as on AWS. */
export async function attach(ctx: IamContext, kind: EntityKind, name: string, policyArn: string): Promise<void> {
  await principal(ctx, kind, name);
  const policy = await findPolicy(ctx, policyArn);
  if (!policy) throw policyNotAttachable(policyArn);
  await change(ctx, kind, name, (record) => {
    if (record.attached.includes(policy.arn)) return;
    if (record.attached.length >= ATTACHED_QUOTA) throw limitExceeded(`Cannot exceed quota for ${QUOTA_NAME[kind]}: ${ATTACHED_QUOTA}`);
    record.attached.push(policy.arn);
  });
}

export async function detach(ctx: IamContext, kind: EntityKind, name: string, policyArn: string): Promise<void> {
  await principal(ctx, kind, name);
  await findPolicy(ctx, policyArn); // an ARN that does not parse is a ValidationError first
  await change(ctx, kind, name, (record) => {
    const index = record.attached.findIndex((arn) => arn.toLowerCase() === policyArn.toLowerCase());
    if (index < 0) throw policyNotFound(policyArn);
    record.attached.splice(index, 1);
  });
}

export interface AttachedPolicyEntry {
  PolicyName: string;
  PolicyArn: string;
}

export async function listAttached(ctx: IamContext, kind: EntityKind, name: string, pathPrefix = '/', marker?: string, maxItems?: number): Promise<Page<AttachedPolicyEntry>> {
  const record = await principal(ctx, kind, name);
  const entries: AttachedPolicyEntry[] = [];
  for (const arn of record.attached) {
    const policy = await findPolicy(ctx, arn);
    if (policy && policy.path.startsWith(pathPrefix)) entries.push({ PolicyName: policy.name, PolicyArn: policy.arn });
  }
  return pageInOrder(entries, marker, maxItems);
}
