import { partitionOf } from './arns.js';
import type { SnsContext } from './context.js';
import { invalidParameter, SNS_MODEL, topicNotFound } from './errors.js';
import { defaultPolicy, getTopic } from './topics.js';

/**
 * AddPermission and RemovePermission: statements in the topic's Policy attribute, as SNS writes them (LocalStack's
 * TestSNSTopicCrudV2::test_topic_add_permission and test_topic_add_multiple_permissions, recorded from AWS): Sid is
 * the label, Principal.AWS the accounts' root ARNs, Action "SNS:<name>" (a list when several), Resource the topic,
 * and SNS writes the whole policy back with its keys in alphabetical order. Policies are stored, not enforced.
 */
interface Statement {
  Sid?: string;
  [key: string]: unknown;
}

interface Policy {
  Statement?: Statement[];
  [key: string]: unknown;
}

export async function addPermission(ctx: SnsContext, topicArn: string, label: string, accounts: string[], actions: string[]): Promise<void> {
  await changePolicy(ctx, topicArn, (policy) => {
    const statements = policy.Statement ?? [];
    if (statements.some((statement) => statement.Sid === label)) throw invalidParameter('Statement already exists');
    if (actions.some((action) => !SNS_MODEL.operation(action))) throw invalidParameter('Policy statement action out of service scope!');
    const principals = accounts.map((account) => (account === '*' || account.startsWith('arn:') ? account : `arn:${partitionOf(ctx.scope.region)}:iam::${account}:root`));
    const granted = actions.map((action) => `SNS:${action}`);
    const statement: Statement = { Sid: label, Effect: 'Allow', Principal: { AWS: oneOrMany(principals) }, Action: oneOrMany(granted), Resource: topicArn };
    return { ...policy, Statement: [...statements, statement] };
  });
}

/** Removing a label the policy does not have changes nothing. */
export async function removePermission(ctx: SnsContext, topicArn: string, label: string): Promise<void> {
  await changePolicy(ctx, topicArn, (policy) => ({ ...policy, Statement: (policy.Statement ?? []).filter((statement) => statement.Sid !== label) }));
}

async function changePolicy(ctx: SnsContext, topicArn: string, change: (policy: Policy) => Policy): Promise<void> {
  await getTopic(ctx, topicArn);
  const updated = await ctx.state.updateTopic(topicArn, (topic) => {
    const current = parsePolicy(topic.attributes.Policy ?? defaultPolicy(ctx.scope.accountId, topicArn));
    return { ...topic, attributes: { ...topic.attributes, Policy: JSON.stringify(sortedKeys(change(current))) } };
  });
  if (!updated) throw topicNotFound();
}

function parsePolicy(text: string): Policy {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      const policy = parsed as Policy;
      return Array.isArray(policy.Statement) ? policy : { ...policy, Statement: policy.Statement === undefined ? [] : [policy.Statement as Statement] };
    }
  } catch {
    // A policy that no longer parses is replaced.
  }
  return { Statement: [] };
}

function oneOrMany(values: string[]): string | string[] {
  return values.length === 1 ? values[0]! : values;
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, inner]) => [key, sortedKeys(inner)]),
  );
}
