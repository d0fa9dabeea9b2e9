import type { ServiceRequest } from '../../../core/index.js';
import type { FunctionRegistry, FunctionUrlRecord } from '../../../functions/index.js';
import type { IamCaller } from './event.js';

/**
 * Who may call a function URL (https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html). AuthType NONE: anyone,
 * but only when the function's (or alias's) resource-based policy allows lambda:InvokeFunctionUrl to "*" with the
 * condition lambda:FunctionUrlAuthType NONE (AddPermission --function-url-auth-type NONE, which deploy tools add for
 * a public URL); otherwise Lambda answers 403. AWS_IAM: only SigV4-signed requests; the signer's account and ARN fill
 * requestContext.authorizer.iam. Flint does not check the signature (the gateway's choice, until the node verifies
 * signatures) nor the signer's IAM permissions: any signed request with credentials IAM does not refuse is accepted.
 */

/** How the endpoint learns who holds an access key (IAM's identity component). */
export type WhoIs = (accessKeyId: string, sessionToken?: string) => Promise<{ accountId: string; arn: string; userId: string } | 'refused'>;

const CREDENTIAL = /Credential=([^/,\s]+)\//;

/** Whether the URL's policy lets anyone call it. */
export async function publicAccessAllowed(registry: FunctionRegistry, config: FunctionUrlRecord): Promise<boolean> {
  let statements;
  try {
    statements = (await registry.getPolicy(config.functionName, config.qualifier)).statements;
  } catch {
    return false; // no policy
  }
  return statements.some(
    (s) => (s.action === 'lambda:InvokeFunctionUrl' || s.action === 'lambda:*') && s.principal === '*' && s.functionUrlAuthType === 'NONE',
  );
}

/** The signer of an AWS_IAM request, or undefined when it is unsigned or its credentials are refused. */
export async function signer(request: ServiceRequest, whoIs: WhoIs | undefined, nodeAccount: string): Promise<IamCaller | undefined> {
  const authorization = request.headers.authorization;
  const fromHeader = typeof authorization === 'string' && authorization.startsWith('AWS4-HMAC-SHA256 ') ? CREDENTIAL.exec(authorization)?.[1] : undefined;
  const fromQuery = request.query.get('X-Amz-Algorithm') === 'AWS4-HMAC-SHA256' ? request.query.get('X-Amz-Credential')?.split('/')[0] : undefined;
  const accessKey = fromHeader ?? fromQuery;
  if (!accessKey) return undefined;
  const tokenHeader = request.headers['x-amz-security-token'];
  const token = (typeof tokenHeader === 'string' ? tokenHeader : undefined) ?? request.query.get('X-Amz-Security-Token') ?? undefined;
  const who = whoIs ? await whoIs(accessKey, token) : { accountId: nodeAccount, arn: `arn:aws:iam::${nodeAccount}:root`, userId: nodeAccount };
  if (who === 'refused') return undefined;
  return { accessKey, accountId: who.accountId, userArn: who.arn, userId: who.userId };
}
