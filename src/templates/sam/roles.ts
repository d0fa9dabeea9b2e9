/**
 * AWS::IAM::Role, AWS::IAM::Policy and AWS::IAM::ManagedPolicy of a template: a function whose Role is one of
 * them gets their statements and managed policies on its own role (`<app>-<function>-role`).
 */
import { isMap, type Translation } from './context.js';
import { managedPolicyArn, type PolicyEntry } from './policies.js';

export function rolePolicies(t: Translation, roleId: string): PolicyEntry[] {
  const role = t.model.resources[roleId]?.Properties ?? {};
  const out: PolicyEntry[] = [];
  if (Array.isArray(role.ManagedPolicyArns)) out.push(...role.ManagedPolicyArns.map((arn) => managedPolicyArn(String(arn))));
  if (Array.isArray(role.Policies)) for (const policy of role.Policies.filter(isMap)) out.push(...statementsOf(policy.PolicyDocument));
  for (const [id, resource] of Object.entries(t.model.resources)) {
    if (resource.Type !== 'AWS::IAM::Policy' && resource.Type !== 'AWS::IAM::ManagedPolicy') continue;
    const roles = Array.isArray(resource.Properties.Roles) ? resource.Properties.Roles : [];
    if (!roles.some((r) => r === t.model.name(roleId))) continue;
    out.push(...statementsOf(resource.Properties.PolicyDocument));
    t.used.add(id);
  }
  t.used.add(roleId);
  return out;
}

/** The statements of a policy document (a list or a single statement). */
function statementsOf(document: unknown): Record<string, unknown>[] {
  if (!isMap(document)) return [];
  const statement = document.Statement;
  if (Array.isArray(statement)) return statement.filter(isMap);
  return isMap(statement) ? [statement] : [];
}

/** Roles and policies no function uses: Flint creates no IAM entity for them. */
export function reportUnusedIam(t: Translation): void {
  for (const [id, resource] of Object.entries(t.model.resources)) {
    if (!['AWS::IAM::Role', 'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'].includes(resource.Type) || t.used.has(id)) continue;
    t.notHonoured(id, 'resource', 'used by no function of the template, so not created (a function whose Role names it gets its policies)');
  }
}
