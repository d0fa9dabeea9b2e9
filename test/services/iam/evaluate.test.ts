import { describe, expect, it } from 'vitest';
import { evaluate, parsePolicy, type AuthzRequest, type PolicySet, type SourcedPolicy } from '../../../src/services/iam/index.js';
import { denialMessage } from '../../../src/services/iam/index.js';

/**
 * The evaluator's logic table, as AWS's evaluation logic states it
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html and the condition
 * operator, policy variable and principal references it links).
 */
const ACCOUNT = '111122223333';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/app`;
const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/app/fn`;
const TABLE = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`;

function identity(...statements: object[]): SourcedPolicy {
  return { source: { kind: 'identity', id: 'inline' }, policy: parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements })) };
}
function policyOf(kind: 'boundary' | 'resource' | 'session', ...statements: object[]): SourcedPolicy {
  return { source: { kind, id: kind }, policy: parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements })) };
}
function request(over: Partial<AuthzRequest> = {}): AuthzRequest {
  return {
    principal: { arn: SESSION, accountId: ACCOUNT, userId: 'AROAEXAMPLE:fn', roleArn: ROLE },
    action: 'dynamodb:PutItem',
    resource: TABLE,
    context: new Map(),
    ...over,
  };
}
const decide = (policies: PolicySet, over: Partial<AuthzRequest> = {}): string => evaluate(request(over), policies).decision;
const allow = (more: object = {}): object => ({ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*', ...more });

describe('IAM policy evaluation', () => {
  it('denies implicitly without a policy, allows what a statement allows', () => {
    expect(decide({ identity: [] })).toBe('implicitDeny');
    expect(decide({ identity: [identity(allow())] })).toBe('allowed');
    expect(decide({ identity: [identity({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE })] })).toBe('implicitDeny');
  });

  it('lets an explicit deny win over any allow, in any kind of policy', () => {
    const deny = { Effect: 'Deny', Action: 'dynamodb:PutItem', Resource: '*' };
    expect(decide({ identity: [identity(allow(), deny)] })).toBe('explicitDeny');
    expect(decide({ identity: [identity(allow())], resource: policyOf('resource', { ...deny, Principal: '*' }) })).toBe('explicitDeny');
    expect(decide({ identity: [identity(allow())], boundary: policyOf('boundary', allow(), deny) })).toBe('explicitDeny');
  });

  it('compares actions without case and ARNs with it; * and ? are wildcards', () => {
    expect(decide({ identity: [identity(allow({ Action: 'DynamoDB:putitem' }))] })).toBe('allowed');
    expect(decide({ identity: [identity(allow({ Action: 'dynamodb:Put????' }))] })).toBe('allowed');
    expect(decide({ identity: [identity(allow({ Resource: TABLE.toUpperCase() }))] })).toBe('implicitDeny');
    expect(decide({ identity: [identity(allow({ Resource: 'arn:aws:dynamodb:*:*:table/ord*' }))] })).toBe('allowed');
  });

  it('matches what NotAction and NotResource do not name', () => {
    expect(decide({ identity: [identity({ Effect: 'Allow', NotAction: 's3:*', Resource: '*' })] })).toBe('allowed');
    expect(decide({ identity: [identity({ Effect: 'Allow', NotAction: 'dynamodb:*', Resource: '*' })] })).toBe('implicitDeny');
    expect(decide({ identity: [identity(allow(), { Effect: 'Deny', Action: '*', NotResource: TABLE })] })).toBe('allowed');
    expect(decide({ identity: [identity(allow(), { Effect: 'Deny', Action: '*', NotResource: 'arn:aws:s3:::*' })] })).toBe('explicitDeny');
  });

  it('limits identity allowances to what the permissions boundary and session policies allow', () => {
    const boundary = policyOf('boundary', { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' });
    const evaluation = evaluate(request(), { identity: [identity(allow())], boundary });
    expect(evaluation).toMatchObject({ decision: 'implicitDeny', deniedBy: 'boundary' });
    expect(decide({ identity: [identity(allow())], boundary }, { action: 'dynamodb:GetItem' })).toBe('allowed');
    expect(decide({ identity: [identity(allow())], session: [policyOf('session', { Effect: 'Allow', Action: 's3:*', Resource: '*' })] })).toBe('implicitDeny');
    // A boundary grants nothing by itself.
    expect(decide({ identity: [], boundary: policyOf('boundary', allow()) })).toBe('implicitDeny');
  });

  it('lets a resource policy grant within the account, and needs both sides across accounts', () => {
    const bucket = 'arn:aws:s3:::shared/key';
    const grant = policyOf('resource', { Effect: 'Allow', Principal: { AWS: ROLE }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::shared/*' });
    expect(decide({ identity: [], resource: grant }, { action: 's3:GetObject', resource: bucket })).toBe('allowed');
    expect(decide({ identity: [], resource: grant }, { action: 's3:GetObject', resource: bucket, resourceAccount: '999999999999' })).toBe('implicitDeny');
    const id = identity({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' });
    expect(decide({ identity: [id], resource: grant }, { action: 's3:GetObject', resource: bucket, resourceAccount: '999999999999' })).toBe('allowed');
    expect(evaluate(request({ action: 's3:GetObject', resource: bucket, resourceAccount: '999999999999' }), { identity: [id] })).toMatchObject({ decision: 'implicitDeny', deniedBy: 'resource' });
    // A grant to the session's own ARN is not limited by the boundary; one to its role is.
    const boundary = policyOf('boundary', { Effect: 'Allow', Action: 'sqs:*', Resource: '*' });
    const direct = policyOf('resource', { Effect: 'Allow', Principal: { AWS: SESSION }, Action: 's3:GetObject', Resource: '*' });
    expect(decide({ identity: [], resource: direct, boundary }, { action: 's3:GetObject', resource: bucket })).toBe('allowed');
    expect(decide({ identity: [], resource: grant, boundary }, { action: 's3:GetObject', resource: bucket })).toBe('implicitDeny');
  });

  it('matches principals: *, an account, a role (and its sessions), NotPrincipal', () => {
    const resource = (principal: object): PolicySet => ({ identity: [], resource: policyOf('resource', { Effect: 'Allow', ...principal, Action: '*', Resource: '*' }) });
    expect(decide(resource({ Principal: '*' }))).toBe('allowed');
    expect(decide(resource({ Principal: { AWS: ACCOUNT } }))).toBe('implicitDeny'); // an account grant leaves it to the identity's policies
    expect(decide(resource({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }), { resourceAccount: '999999999999' })).toBe('implicitDeny');
    expect(decide({ ...resource({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }), identity: [identity(allow())] }, { resourceAccount: '999999999999' })).toBe('allowed');
    expect(decide(resource({ Principal: { AWS: 'arn:aws:iam::111122223333:role/other' } }))).toBe('implicitDeny');
    expect(decide(resource({ NotPrincipal: { AWS: 'arn:aws:iam::111122223333:role/other' } }))).toBe('allowed');
  });

  it('tests conditions: operators, missing keys, IfExists, Null, sets', () => {
    const context = new Map<string, string | string[]>([
      ['aws:sourceip', '203.0.113.7'],
      ['aws:securetransport', 'false'],
      ['aws:currenttime', '2026-06-01T00:00:00Z'],
      ['s3:max-keys', '10'],
      ['dynamodb:leadingkeys', ['u1', 'u2']],
    ]);
    const holds = (condition: object): string => decide({ identity: [identity(allow({ Condition: condition }))] }, { context });
    expect(holds({ IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } })).toBe('allowed');
    expect(holds({ NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '10.0.0.0/8'] } })).toBe('implicitDeny');
    expect(holds({ Bool: { 'aws:SecureTransport': 'true' } })).toBe('implicitDeny');
    expect(holds({ DateLessThan: { 'aws:CurrentTime': '2027-01-01T00:00:00Z' } })).toBe('allowed');
    expect(holds({ NumericLessThanEquals: { 's3:max-keys': '10' } })).toBe('allowed');
    expect(holds({ StringEquals: { 'aws:PrincipalTag/team': 'a' } })).toBe('implicitDeny');
    expect(holds({ StringNotEquals: { 'aws:PrincipalTag/team': 'a' } })).toBe('allowed');
    expect(holds({ StringEqualsIfExists: { 'aws:PrincipalTag/team': 'a' } })).toBe('allowed');
    expect(holds({ Null: { 'aws:PrincipalTag/team': 'true' } })).toBe('allowed');
    expect(holds({ 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['u1', 'u2', 'u3'] } })).toBe('allowed');
    expect(holds({ 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['u1'] } })).toBe('implicitDeny');
    expect(holds({ 'ForAnyValue:StringEquals': { 'dynamodb:LeadingKeys': ['u2', 'x'] } })).toBe('allowed');
    expect(holds({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a'] } })).toBe('allowed'); // missing key: vacuously true
    expect(holds({ IpAddress: { 'aws:SourceIp': '203.0.113.0/24' }, Bool: { 'aws:SecureTransport': 'true' } })).toBe('implicitDeny');
    expect(holds({ StringEqualz: { 'aws:SourceIp': 'x' } })).toBe('implicitDeny');
  });

  it('substitutes policy variables in resources and condition values (Version 2012-10-17 only)', () => {
    const context = new Map([['aws:username', 'alice']]);
    const home = { Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::home/${aws:username}/*' };
    expect(decide({ identity: [identity(home)] }, { action: 's3:GetObject', resource: 'arn:aws:s3:::home/alice/a', context })).toBe('allowed');
    expect(decide({ identity: [identity(home)] }, { action: 's3:GetObject', resource: 'arn:aws:s3:::home/bob/a', context })).toBe('implicitDeny');
    expect(decide({ identity: [identity(home)] }, { action: 's3:GetObject', resource: 'arn:aws:s3:::home//a' })).toBe('implicitDeny');
    const withDefault = { ...home, Resource: "arn:aws:s3:::home/${aws:username, 'guest'}/*" };
    expect(decide({ identity: [identity(withDefault)] }, { action: 's3:GetObject', resource: 'arn:aws:s3:::home/guest/a' })).toBe('allowed');
    const prefix = { Effect: 'Allow', Action: 's3:ListBucket', Resource: '*', Condition: { StringLike: { 's3:prefix': '${aws:username}/*' } } };
    expect(decide({ identity: [identity(prefix)] }, { action: 's3:ListBucket', resource: 'arn:aws:s3:::home', context: new Map([...context, ['s3:prefix', 'alice/x']]) })).toBe('allowed');
    const old = { source: { kind: 'identity' as const, id: 'v2008' }, policy: parsePolicy(JSON.stringify({ Version: '2008-10-17', Statement: [home] })) };
    expect(decide({ identity: [old] }, { action: 's3:GetObject', resource: 'arn:aws:s3:::home/${aws:username}/a', context })).toBe('allowed');
  });

  it("words the denial as AWS does", () => {
    const implicit = evaluate(request(), { identity: [] });
    expect(denialMessage(SESSION, request(), implicit)).toBe(
      `User: ${SESSION} is not authorized to perform: dynamodb:PutItem on resource: ${TABLE} because no identity-based policy allows the dynamodb:PutItem action`,
    );
    const explicit = evaluate(request(), { identity: [identity(allow(), { Effect: 'Deny', Action: '*', Resource: '*' })] });
    expect(denialMessage(SESSION, request(), explicit)).toMatch(/with an explicit deny in an identity-based policy$/);
    const boundary = evaluate(request(), { identity: [identity(allow())], boundary: policyOf('boundary') });
    expect(denialMessage(SESSION, request(), boundary)).toMatch(/because no permissions boundary allows the dynamodb:PutItem action$/);
  });
});
