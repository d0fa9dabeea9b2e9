import type { Identity } from '../services/iam/index.js';
import type { S3Principals } from '../services/s3/index.js';

/**
 * S3's identity port on IAM/STS: the account and ARN of temporary credentials STS issued (a role session in another
 * account is that account's), 'refused' for credentials STS no longer honours, nothing for other keys (the node's).
 */
export function s3Principals(identity: Identity): S3Principals {
  return {
    whoIs: async (accessKeyId, sessionToken) => {
      const answer = await identity.whoIs(accessKeyId, sessionToken);
      if ('refused' in answer) return 'refused';
      return { accountId: answer.caller.accountId, arn: answer.caller.arn };
    },
  };
}
