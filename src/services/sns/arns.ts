import { randomUUID } from 'node:crypto';
import { invalidParameter } from './errors.js';

/** ARNs of topics and subscriptions, and SNS's checks on them. */

export interface Scope {
  region: string;
  accountId: string;
}

export const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
export const FIFO_TOPIC_NAME = /^[A-Za-z0-9_-]{1,251}\.fifo$/;

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function topicArn(scope: Scope, name: string): string {
  return `arn:${partitionOf(scope.region)}:sns:${scope.region}:${scope.accountId}:${name}`;
}

export function newSubscriptionArn(topic: string): string {
  return `${topic}:${randomUUID()}`;
}

/** The ARN's elements, or SNS's "An ARN must have at least 6 elements" error naming the parameter. */
export function arnParts(arn: string, parameter: string): string[] {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') throw invalidParameter(`${parameter} Reason: An ARN must have at least 6 elements, not ${parts.length}`);
  return parts;
}

/**
 * Checks a topic ARN's shape and that it belongs to this node's region and account (SNS answers "Invalid
 * parameter: TopicArn" for another region's topic); returns it unchanged.
 */
export function checkTopicArn(scope: Scope, arn: string, parameter = 'TopicArn'): string {
  const parts = arnParts(arn, parameter);
  if (parts[2] !== 'sns' || parts[3] !== scope.region || parts.length !== 6) throw invalidParameter(parameter);
  return arn;
}

/** The topic ARN a subscription ARN belongs to, or undefined when it is not one of ours. */
export function topicOfSubscription(arn: string): string | undefined {
  const cut = arn.lastIndexOf(':');
  return cut > 0 ? arn.slice(0, cut) : undefined;
}

/** `arn:aws:sqs:us-east-1:000000000000:orders` → `orders`; works for any ARN whose last element is a name. */
export function lastElement(arn: string): string {
  return arn.slice(arn.lastIndexOf(':') + 1);
}
