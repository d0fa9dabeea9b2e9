/**
 * The execution role deploy gives a function whose manifest (or SAM template) lists policies: one role per
 * function, trusted by Lambda, its statements as one inline policy and its managed policies attached, replaced
 * whole at each deploy so it says what the template says (as CloudFormation updates `<Function>Role`).
 */
import type { IamContext } from './context.js';
import { entityArn } from './context.js';
import { uniqueId } from './ids.js';
import { checkPolicyDocument } from './policy-document.js';
import { findPolicy } from './policies.js';
import type { RoleRecord } from './records.js';

export interface FunctionRoleInput {
  name: string;
  description: string;
  /** Managed policy ARNs and policy statements, as the manifest lists them. */
  policies: ReadonlyArray<string | Record<string, unknown>>;
}

/** The name of the inline policy that holds the manifest's statements. */
export const FUNCTION_POLICY_NAME = 'flint-function-policy';

const LAMBDA_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

/** Creates or replaces the role; managed policies IAM does not know are left out and named in `warnings`. */
export async function putFunctionRole(ctx: IamContext, input: FunctionRoleInput): Promise<{ arn: string; warnings: string[] }> {
  const warnings: string[] = [];
  const attached: string[] = [];
  for (const arn of input.policies.filter((p): p is string => typeof p === 'string')) {
    const policy = await findPolicy(ctx, arn).catch(() => undefined);
    if (policy === undefined) warnings.push(`managed policy ${arn} is not one Flint's IAM has; the role ${input.name} goes without it`);
    else if (!attached.includes(policy.arn)) attached.push(policy.arn);
  }
  const statements = input.policies.filter((p): p is Record<string, unknown> => typeof p !== 'string');
  const inline: Record<string, string> = {};
  if (statements.length > 0) {
    const document = JSON.stringify({ Version: '2012-10-17', Statement: statements });
    checkPolicyDocument(document, 'identity');
    inline[FUNCTION_POLICY_NAME] = document;
  }
  const replace = (role: RoleRecord): RoleRecord => ({ ...role, description: input.description, inline, attached });
  const updated = await ctx.store.update('roles', input.name, replace);
  if (updated !== undefined) return { arn: updated.arn, warnings };
  const role: RoleRecord = {
    name: input.name,
    path: '/',
    id: uniqueId('AROA', ctx.accountId),
    arn: entityArn(ctx, 'role', '/', input.name),
    createDate: ctx.clock.now(),
    trustPolicy: LAMBDA_TRUST,
    description: input.description,
    maxSessionDuration: 3600,
    tags: [],
    inline,
    attached,
  };
  if (!(await ctx.store.create('roles', role))) return putFunctionRole(ctx, input);
  return { arn: role.arn, warnings };
}

/** Removes a function role deploy made; nothing when it is gone already. */
export async function deleteFunctionRole(ctx: IamContext, name: string): Promise<void> {
  await ctx.store.delete('roles', name);
}
