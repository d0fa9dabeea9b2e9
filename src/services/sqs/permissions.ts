import type { Input, SqsContext } from './context.js';
import { invalidParameter, missingParameter, sqsError } from './errors.js';
import { queueArn } from './names.js';
import { requireQueue, updateQueue } from './ops-queues.js';

/**
 * AddPermission and RemovePermission: statements in the queue's Policy attribute, as SQS writes them (LocalStack's
 * test_sqs.py::TestSqsProvider::test_sqs_permission_lifecycle, recorded from AWS): policy Id "<queue ARN>/SQSDefaultPolicy",
 * Version 2008-10-17, one statement per label (Sid), Principal.AWS the accounts' root ARNs, Action "SQS:<name>"
 * (lists when several), Resource the queue's ARN; removing the last statement removes the Policy. The policy is
 * stored, not enforced (one account). Limits are SQS's documented quotas: 7 actions per statement, 50 principals,
 * 20 statements per policy (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-policies.html).
 */
const POLICY_VERSION = '2008-10-17';
const MAX_ACTIONS = 7;
const MAX_PRINCIPALS = 50;
const MAX_STATEMENTS = 20;
const LABEL = /^[A-Za-z0-9_-]{1,80}$/;
/** Actions a permission can grant: the queue operations of SQS's API, and "*". */
const GRANTABLE = new Set([
  '*',
  'ChangeMessageVisibility',
  'ChangeMessageVisibilityBatch',
  'DeleteMessage',
  'DeleteMessageBatch',
  'GetQueueAttributes',
  'GetQueueUrl',
  'ListDeadLetterSourceQueues',
  'ListQueueTags',
  'PurgeQueue',
  'ReceiveMessage',
  'SendMessage',
  'SendMessageBatch',
]);

interface Statement {
  Sid?: string;
  [key: string]: unknown;
}

interface Policy {
  Version?: string;
  Id?: string;
  Statement: Statement[];
}

export async function addPermission(input: Input<'AddPermission'>, ctx: SqsContext): Promise<void> {
  const { Label: label, AWSAccountIds: accounts, Actions: actions } = input;
  if (!LABEL.test(label)) throw invalidParameter('Label', label, 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length.');
  if (accounts.length === 0) throw missingParameter('AWSAccountIds');
  if (actions.length === 0) throw missingParameter('Actions');
  for (const action of actions) {
    if (!GRANTABLE.has(action)) throw invalidParameter('ActionName', action, 'Please refer to the appropriate WSDL for a list of valid actions.');
  }
  if (actions.length > MAX_ACTIONS) throw sqsError('OverLimit', `${actions.length} actions were found, maximum allowed is ${MAX_ACTIONS}.`);
  if (accounts.length > MAX_PRINCIPALS) throw sqsError('OverLimit', `${accounts.length} principals were found, maximum allowed is ${MAX_PRINCIPALS}.`);
  const queue = await requireQueue(ctx, input.QueueUrl);
  const arn = queueArn(ctx.engine.scope, queue.name);
  const policy = parsePolicy(queue.attributes.Policy, arn);
  if (policy.Statement.some((statement) => statement.Sid === label)) throw invalidParameter('Label', label, 'Already exists.');
  if (policy.Statement.length >= MAX_STATEMENTS) throw sqsError('OverLimit', `${policy.Statement.length + 1} statements were found, maximum allowed is ${MAX_STATEMENTS}.`);
  const principals = accounts.map((account) => (account === '*' || account.startsWith('arn:') ? account : `arn:aws:iam::${account}:root`));
  const granted = actions.map((action) => `SQS:${action}`);
  policy.Statement.push({ Sid: label, Effect: 'Allow', Principal: { AWS: oneOrMany(principals) }, Action: oneOrMany(granted), Resource: arn });
  await updateQueue(ctx, queue.name, { attributes: { ...queue.attributes, Policy: JSON.stringify(policy) } });
}

export async function removePermission(input: Input<'RemovePermission'>, ctx: SqsContext): Promise<void> {
  const queue = await requireQueue(ctx, input.QueueUrl);
  const policy = parsePolicy(queue.attributes.Policy, queueArn(ctx.engine.scope, queue.name));
  const kept = policy.Statement.filter((statement) => statement.Sid !== input.Label);
  if (kept.length === policy.Statement.length) throw invalidParameter('Label', input.Label, "can't find label.");
  const { Policy: _removed, ...others } = queue.attributes;
  const attributes = kept.length === 0 ? others : { ...others, Policy: JSON.stringify({ ...policy, Statement: kept }) };
  await updateQueue(ctx, queue.name, { attributes });
}

/** The queue's policy (one set with SetQueueAttributes included), or SQS's empty default for it. */
function parsePolicy(text: string | undefined, arn: string): Policy {
  const empty: Policy = { Version: POLICY_VERSION, Id: `${arn}/SQSDefaultPolicy`, Statement: [] };
  if (!text) return empty;
  try {
    const parsed = JSON.parse(text) as Partial<Policy> & { Statement?: Statement | Statement[] };
    const statements = parsed.Statement === undefined ? [] : Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
    return { ...parsed, Statement: statements };
  } catch {
    return empty;
  }
}

function oneOrMany(values: string[]): string | string[] {
  return values.length === 1 ? values[0]! : values;
}
