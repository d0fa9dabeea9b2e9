/** The ARNs event sources and destinations are named by. */

export type ArnService = 'sqs' | 'sns' | 'lambda' | 'dynamodb' | 'events' | 'kinesis' | 'kafka' | 'mq' | 'other';

/** Lambda's pattern for an event source or destination ARN. */
export const ARN_PATTERN = /^arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9-]+):([a-z]{2}(-gov)?-[a-z]+-\d)?:(\d{12})?:(.*)$/;

const STREAM = /^arn:aws[\w-]*:dynamodb:([^:]+):(\d{12}):table\/([a-zA-Z0-9_.-]+)\/stream\/(.+)$/;
const QUEUE = /^arn:aws[\w-]*:sqs:([^:]+):(\d{12}):([A-Za-z0-9_.-]+)$/;
const FUNCTION = /^arn:aws[\w-]*:lambda:([^:]+):(\d{12}):function:([A-Za-z0-9_-]+)(?::(\$LATEST|[A-Za-z0-9_-]+))?$/;

export function serviceOf(arn: string): ArnService {
  const service = ARN_PATTERN.exec(arn)?.[2];
  switch (service) {
    case 'sqs':
    case 'sns':
    case 'lambda':
    case 'dynamodb':
    case 'events':
    case 'kinesis':
    case 'kafka':
    case 'mq':
      return service;
    default:
      return 'other';
  }
}

export function parseStreamArn(arn: string): { table: string; label: string } | undefined {
  const match = STREAM.exec(arn);
  return match ? { table: match[3]!, label: match[4]! } : undefined;
}

export function isQueueArn(arn: string): boolean {
  return QUEUE.test(arn);
}

/** The function (and qualifier) a Lambda function ARN names. */
export function parseFunctionArn(arn: string): { name: string; qualifier?: string } | undefined {
  const match = FUNCTION.exec(arn);
  if (!match) return undefined;
  return match[4] === undefined ? { name: match[3]! } : { name: match[3]!, qualifier: match[4] };
}
