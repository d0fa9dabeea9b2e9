import { functionArn, parseFunctionRef, type ArnScope, type PermissionStatement } from '../../functions/index.js';
import type { AddPermissionRequest } from './api.js';
import type { LambdaHandler } from './context.js';
import type { LambdaErrors } from './errors.js';

/**
 * AddPermission, RemovePermission and GetPolicy: a function's (version's, alias's) resource-based policy, rendered
 * as Lambda renders it. The shapes are LocalStack's recordings of AWS (tests/aws/services/lambda_/
 * test_lambda_api.snapshot.json, TestLambdaPermissions: test_add_lambda_permission_aws, test_add_lambda_permission_fields,
 * test_remove_multi_permissions): statements keyed Sid, Effect, Principal, Action, Resource, Condition; a service
 * principal as {"Service": …}, an account as {"AWS": "arn:aws:iam::<account>:root"}, "*" as is; conditions
 * StringEquals (AWS:SourceAccount, lambda:FunctionUrlAuthType, aws:PrincipalOrgID, lambda:EventSourceToken) before
 * ArnLike (AWS:SourceArn). Policies are stored by the registry, so they persist with the function.
 */

/** Lambda's limit on a function's policy document. */
const POLICY_LIMIT_BYTES = 20_480;
const ACCOUNT_ID = /^\d{12}$/;
const IAM_ARN = /^arn:aws[a-zA-Z-]*:(iam|sts)::\d{12}:\S+$/;
/** Service principals: "s3.amazonaws.com", and Alexa's "alexa-appkit.amazon.com". */
const SERVICE = /^[a-z0-9][a-z0-9.-]*\.(amazonaws\.com|amazon\.com)$/;

type Principal = '*' | { Service: string } | { AWS: string };

interface RenderedStatement {
  Sid: string;
  Effect: 'Allow';
  Principal: Principal;
  Action: string;
  Resource: string;
  Condition?: Record<string, Record<string, string>>;
}

export const addPermission: LambdaHandler<'AddPermission'> = async (input, ctx) => {
  const statement = statementOf(input);
  principalOf(statement.principal, ctx.errors);
  const resource = policyResource(ctx.scope, input.FunctionName, input.Qualifier);
  const added = await ctx.registry.addPermission(input.FunctionName, input.Qualifier, statement, {
    revisionId: input.RevisionId,
    check: (statements) => {
      const size = Buffer.byteLength(renderPolicy(statements, resource, ctx.errors));
      if (size > POLICY_LIMIT_BYTES) {
        throw ctx.errors.user('PolicyLengthExceededException', `The final policy size (${size}) is bigger than the limit (${POLICY_LIMIT_BYTES}).`);
      }
    },
  });
  return { Statement: JSON.stringify(renderStatement(added, resource, ctx.errors)) };
};

export const removePermission: LambdaHandler<'RemovePermission'> = async (input, ctx) => {
  await ctx.registry.removePermission(input.FunctionName, input.Qualifier, input.StatementId, { revisionId: input.RevisionId });
};

export const getPolicy: LambdaHandler<'GetPolicy'> = async (input, ctx) => {
  const policy = await ctx.registry.getPolicy(input.FunctionName, input.Qualifier);
  const resource = policyResource(ctx.scope, input.FunctionName, input.Qualifier);
  return { Policy: renderPolicy(policy.statements, resource, ctx.errors), RevisionId: policy.revisionId };
};

function statementOf(input: AddPermissionRequest): PermissionStatement {
  const statement: PermissionStatement = { sid: input.StatementId, action: input.Action, principal: input.Principal };
  if (input.SourceArn !== undefined) statement.sourceArn = input.SourceArn;
  if (input.SourceAccount !== undefined) statement.sourceAccount = input.SourceAccount;
  if (input.EventSourceToken !== undefined) statement.eventSourceToken = input.EventSourceToken;
  if (input.PrincipalOrgID !== undefined) statement.principalOrgId = input.PrincipalOrgID;
  if (input.FunctionUrlAuthType !== undefined) statement.functionUrlAuthType = input.FunctionUrlAuthType;
  if (input.InvokedViaFunctionUrl !== undefined) statement.invokedViaFunctionUrl = input.InvokedViaFunctionUrl;
  return statement;
}

/** The ARN statements name: the function's, or the version's or alias's the policy belongs to. */
function policyResource(scope: ArnScope, functionName: string, qualifier: string | undefined): string {
  const ref = parseFunctionRef(functionName);
  const given = qualifier === undefined || qualifier === '' ? ref.qualifier : qualifier;
  return functionArn(scope, ref.name, given === '$LATEST' ? undefined : given);
}

function principalOf(principal: string, errors: LambdaErrors): Principal {
  if (principal === '*') return '*';
  if (ACCOUNT_ID.test(principal)) return { AWS: `arn:aws:iam::${principal}:root` };
  if (IAM_ARN.test(principal)) return { AWS: principal };
  if (SERVICE.test(principal)) return { Service: principal };
  throw errors.invalidValue('The provided principal was invalid. Please check the principal and try again.');
}

function renderStatement(statement: PermissionStatement, resource: string, errors: LambdaErrors): RenderedStatement {
  const out: RenderedStatement = {
    Sid: statement.sid,
    Effect: 'Allow',
    Principal: principalOf(statement.principal, errors),
    Action: statement.action,
    Resource: resource,
  };
  const condition = conditionOf(statement);
  if (condition !== undefined) out.Condition = condition;
  return out;
}

function conditionOf(statement: PermissionStatement): RenderedStatement['Condition'] {
  const equals: Record<string, string> = {};
  if (statement.sourceAccount !== undefined) equals['AWS:SourceAccount'] = statement.sourceAccount;
  if (statement.functionUrlAuthType !== undefined) equals['lambda:FunctionUrlAuthType'] = statement.functionUrlAuthType;
  if (statement.principalOrgId !== undefined) equals['aws:PrincipalOrgID'] = statement.principalOrgId;
  if (statement.eventSourceToken !== undefined) equals['lambda:EventSourceToken'] = statement.eventSourceToken;
  const condition: Record<string, Record<string, string>> = {};
  if (Object.keys(equals).length > 0) condition.StringEquals = equals;
  if (statement.sourceArn !== undefined) condition.ArnLike = { 'AWS:SourceArn': statement.sourceArn };
  if (statement.invokedViaFunctionUrl === true) condition.Bool = { 'lambda:InvokedViaFunctionUrl': 'true' };
  return Object.keys(condition).length > 0 ? condition : undefined;
}

/** The policy document as GetPolicy returns it: compact JSON, statements in the order they were added. */
function renderPolicy(statements: readonly PermissionStatement[], resource: string, errors: LambdaErrors): string {
  return JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: statements.map((s) => renderStatement(s, resource, errors)) });
}
