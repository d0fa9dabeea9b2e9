import type { FunctionRegistry } from '../../functions/index.js';
import type { DataServices } from '../data-services.js';
import { functionPolicy, type ResourcePolicies } from './resource-policies.js';

/**
 * The node's resource policies: S3 bucket policies, SQS queue and SNS topic Policy attributes, and Lambda function
 * permissions. Only the node's own account's resources are asked for (enforcement evaluates only its principals).
 */
export function nodeResourcePolicies(data: DataServices, registry: FunctionRegistry): ResourcePolicies {
  return {
    async policyOf(service, arn) {
      const parts = arn.split(':');
      switch (service) {
        case 's3': {
          const path = parts.slice(5).join(':');
          return data.s3.bucketPolicy(path.split('/')[0] ?? '');
        }
        case 'sqs':
          return (await data.sqs.queues.describe(parts[5] ?? '').catch(() => undefined))?.policy;
        case 'sns':
          return data.sns.topicPolicy(parts.slice(0, 6).join(':')).catch(() => undefined);
        case 'lambda': {
          const policy = await registry.getPolicy(parts[6] ?? '', parts[7]).catch(() => undefined);
          return policy && policy.statements.length > 0 ? functionPolicy(arn, policy.statements) : undefined;
        }
        default:
          return undefined;
      }
    },
  };
}
