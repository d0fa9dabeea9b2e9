import { invalidValue } from './errors.js';

/** Queue names, URLs and ARNs. */

export interface Scope {
  region: string;
  accountId: string;
}

const STANDARD_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const FIFO_NAME = /^[A-Za-z0-9_-]{1,75}\.fifo$/;
const ARN = /^arn:[^:]+:sqs:([^:]*):([^:]*):([^:]+)$/;

export function checkQueueName(name: string, fifo: boolean): void {
  if (fifo && !FIFO_NAME.test(name)) {
    throw invalidValue(
      'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length',
    );
  }
  if (!fifo && !STANDARD_NAME.test(name)) {
    throw invalidValue('Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
  }
}

/** `${baseUrl}/${accountId}/${name}`: SDK v3 sends later calls to the host in it, so it names this server. */
export function queueUrl(baseUrl: string, scope: Scope, name: string): string {
  return `${baseUrl}/${scope.accountId}/${name}`;
}

export function queueArn(scope: Scope, name: string): string {
  return `arn:aws:sqs:${scope.region}:${scope.accountId}:${name}`;
}

/**
 * The queue a QueueUrl names: its last path segment, whatever the host (clients configured for AWS send
 * sqs.<region>.amazonaws.com URLs), or the value itself when it is a bare name, as SQS also accepts.
 */
export function nameFromUrl(url: string): string {
  const path = /^[a-z][a-z0-9+.-]*:\/\/[^/]*(\/[^?#]*)?/i.exec(url)?.[1] ?? url;
  const segments = path.split('/').filter((segment) => segment.length > 0);
  const last = segments[segments.length - 1] ?? '';
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/** The queue name of an ARN in this region and account; undefined for anything else. */
export function nameFromArn(scope: Scope, arn: string): string | undefined {
  const match = ARN.exec(arn);
  if (!match || match[1] !== scope.region || match[2] !== scope.accountId) return undefined;
  return match[3];
}

/** A name or an ARN of this account, as Flint's own subsystems address queues. */
export function nameFromReference(scope: Scope, reference: string): string {
  return reference.startsWith('arn:') ? (nameFromArn(scope, reference) ?? reference) : reference;
}
