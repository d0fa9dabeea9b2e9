import type { TableInfo } from '../../../storage/index.js';
import type {
  DeleteResourcePolicyInput,
  DeleteResourcePolicyOutput,
  GetResourcePolicyInput,
  GetResourcePolicyOutput,
  PutResourcePolicyInput,
  PutResourcePolicyOutput,
} from '../api.js';
import type { OperationContext } from '../context.js';
import { dynamoError, validation } from '../errors.js';
import { settingsOf } from '../table-model.js';
import { saveSettings, tableOfArn } from './tables.js';

/**
 * Resource-based policies of tables (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/access-control-resource-based.html):
 * stored with the table and returned as given, each version with a RevisionId that ExpectedRevisionId must match.
 * Flint does not evaluate them (signatures are not checked either).
 */

/** A policy document's largest size (20 KB), as the developer guide's quotas list it. */
const MAX_POLICY_BYTES = 20 * 1024;

/** ExpectedRevisionId that asks for a policy to be attached only where none is. */
const NO_POLICY = 'NO_POLICY';

function notFound(arn: string, detail?: string): Error {
  return dynamoError('PolicyNotFoundException', `Resource-based policy not found for the provided ResourceArn: ${detail ?? arn}`);
}

function checkDocument(document: string): void {
  if (Buffer.byteLength(document, 'utf8') > MAX_POLICY_BYTES) throw validation(`Resource-based policy size exceeds the maximum allowed size of ${MAX_POLICY_BYTES} bytes`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    throw validation('Invalid policy document: the policy is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || !('Statement' in parsed)) {
    throw validation('Invalid policy document: the policy must be a JSON object with a Statement');
  }
}

/** ExpectedRevisionId must name the current revision (or NO_POLICY where there is none). */
function checkRevision(table: TableInfo, arn: string, expected: string | undefined): void {
  if (expected === undefined) return;
  const current = settingsOf(table).policy?.revisionId ?? NO_POLICY;
  if (expected !== current) {
    throw notFound(arn, `Requested update for policy with revision id ${expected}, but the policy associated to target table ${table.name} has revision id ${current}.`);
  }
}

/** Revision ids are decimal numbers that grow with each change, as DynamoDB's do. */
function nextRevision(ctx: OperationContext, table: TableInfo): string {
  const previous = Number(settingsOf(table).policy?.revisionId ?? 0);
  return String(Math.max(ctx.clock.now(), previous + 1));
}

export async function putResourcePolicy(input: PutResourcePolicyInput, ctx: OperationContext): Promise<PutResourcePolicyOutput> {
  checkDocument(input.Policy);
  const table = await tableOfArn(ctx, input.ResourceArn);
  checkRevision(table, input.ResourceArn, input.ExpectedRevisionId);
  const revisionId = nextRevision(ctx, table);
  await saveSettings(ctx, table, { policy: { document: input.Policy, revisionId } });
  return { RevisionId: revisionId };
}

export async function getResourcePolicy(input: GetResourcePolicyInput, ctx: OperationContext): Promise<GetResourcePolicyOutput> {
  const table = await tableOfArn(ctx, input.ResourceArn);
  const policy = settingsOf(table).policy;
  if (!policy) throw notFound(input.ResourceArn);
  return { Policy: policy.document, RevisionId: policy.revisionId };
}

export async function deleteResourcePolicy(input: DeleteResourcePolicyInput, ctx: OperationContext): Promise<DeleteResourcePolicyOutput> {
  const table = await tableOfArn(ctx, input.ResourceArn);
  const policy = settingsOf(table).policy;
  if (!policy) throw notFound(input.ResourceArn);
  checkRevision(table, input.ResourceArn, input.ExpectedRevisionId);
  await saveSettings(ctx, table, { policy: undefined });
  return { RevisionId: policy.revisionId };
}
