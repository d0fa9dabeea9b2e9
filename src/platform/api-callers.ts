/** Who signed an API request, for AWS_IAM routes: the access key's account and principal, as IAM's identity knows it. */
import type { CallerIdentity } from '../services/apigateway/index.js';
import type { IamService } from '../services/iam/index.js';

export async function identifyCaller(iam: IamService | undefined, accessKeyId: string): Promise<CallerIdentity | undefined> {
  if (!iam) return undefined;
  const answer = await iam.identity.whoIs(accessKeyId);
  if (!('caller' in answer)) return undefined;
  return { accessKeyId, accountId: answer.caller.accountId, arn: answer.caller.arn, userId: answer.caller.userId };
}
