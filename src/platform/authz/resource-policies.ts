/**
 * The resource-based policy of the resource a request acts on, where the service has one: a bucket's policy, a
 * queue's or a topic's Policy attribute, a function's permissions (AddPermission), as policy documents.
 */
export interface ResourcePolicies {
  /** The policy of the resource an ARN names in a service (by SigV4 name); undefined when it has none. */
  policyOf(service: string, resourceArn: string): Promise<string | undefined>;
}

/** A Lambda permission as the registry keeps it. */
export interface FunctionPermission {
  action: string;
  principal: string;
  sourceArn?: string;
  sourceAccount?: string;
}

/** A function's permissions as the policy document GetPolicy shows: one Allow statement each. */
export function functionPolicy(resource: string, permissions: readonly FunctionPermission[]): string {
  const statements = permissions.map((p) => {
    const principal = p.principal === '*' ? '*' : p.principal.endsWith('.amazonaws.com') ? { Service: p.principal } : { AWS: p.principal };
    const condition: Record<string, Record<string, string>> = {};
    if (p.sourceArn) condition.ArnLike = { 'AWS:SourceArn': p.sourceArn };
    if (p.sourceAccount) condition.StringEquals = { 'AWS:SourceAccount': p.sourceAccount };
    return { Effect: 'Allow', Principal: principal, Action: p.action, Resource: resource, ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}) };
  });
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}
