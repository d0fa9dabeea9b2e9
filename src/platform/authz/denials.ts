import { AwsError } from '../../protocol/index.js';

const CORAL = 'com.amazon.coral.service';

/**
 * The AccessDenied error each service answers with, in its protocol
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html): JSON services (DynamoDB,
 * EventBridge, Logs, ...) send `AccessDeniedException` (400, coral namespace), Lambda `AccessDeniedException` with 403,
 * S3 and IAM `AccessDenied` with 403, SQS `AccessDenied` (403; `AccessDeniedException` in its JSON protocol), SNS
 * `AuthorizationError` (403, its model's AuthorizationErrorException). The message is IAM's: "User: <arn> is not
 * authorized to perform: <action> on resource: <arn> because no identity-based policy allows the <action> action";
 * S3 quotes the resource (https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html).
 */
export function accessDenied(service: string, message: string): AwsError {
  switch (service) {
    case 's3':
      return new AwsError('AccessDenied', message, { status: 403 });
    case 'iam':
    case 'sts':
      return new AwsError('AccessDenied', message, { status: 403 });
    case 'sqs':
      return new AwsError('AccessDeniedException', message, { code: 'AccessDenied', status: 403, namespace: CORAL });
    case 'sns':
      return new AwsError('AuthorizationErrorException', message, { code: 'AuthorizationError', status: 403 });
    case 'lambda':
      return new AwsError('AccessDeniedException', message, { status: 403 });
    default:
      return new AwsError('AccessDeniedException', message, { status: 400, namespace: CORAL });
  }
}

/** S3 writes the resource in quotes; the other services as it is. */
export function resourceText(service: string, resource: string): string {
  return service === 's3' ? `"${resource}"` : resource;
}

/**
 * How a service writes the action in its message: SNS as "SNS:Publish", SQS in lower case ("sqs:sendmessage"), as
 * their AccessDenied messages show it; the others as the policy grammar writes it.
 */
export function actionText(service: string, action: string): string {
  if (service === 'sns') return `SNS:${action.slice(action.indexOf(':') + 1)}`;
  if (service === 'sqs') return action.toLowerCase();
  return action;
}
