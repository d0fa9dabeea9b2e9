/** A function's execution role: `role:` names one, or `policies:` make deploy create `<app>-<function>-role`. */
import { z } from 'zod';

/** IAM's role ARN pattern (Lambda's CreateFunction Role member). */
const ROLE_ARN = /^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/;
const POLICY_ARN = /^arn:(aws[a-zA-Z-]*)?:iam::(\d{12}|aws):policy\/[a-zA-Z_0-9+=,.@\-_/]+$/;

export const roleField = z.string({ error: 'expected an IAM role ARN' }).regex(ROLE_ARN, { error: 'expected an IAM role ARN such as arn:aws:iam::123456789012:role/my-role' })
  .meta({ description: 'The execution role, an IAM role ARN; leave out to have one made from policies.' });

const statement = z.record(z.string(), z.unknown(), { error: 'expected a policy statement (Effect, Action, Resource)' })
  .refine((s) => s.Effect === 'Allow' || s.Effect === 'Deny', { error: 'expected a policy statement with Effect Allow or Deny' });

export const policiesField = z.array(
  z.union([z.string().regex(POLICY_ARN), statement], { error: 'expected a managed policy ARN or a policy statement' }),
  { error: 'expected a list of managed policy ARNs and policy statements' },
).meta({ description: 'Deploy creates the role <app>-<function>-role in Flint\'s IAM with these policies.' });

/** The role deploy makes for a function with policies, kept within IAM's 64 characters. */
export function functionRoleName(app: string, fn: string): string {
  const name = `${app}-${fn}-role`;
  return name.length <= 64 ? name : `${name.slice(0, 59)}-role`;
}
