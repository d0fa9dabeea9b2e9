import { arnParts } from './arns.js';
import { snsError } from './errors.js';
import { compileFilterPolicy, FILTER_POLICY_SCOPES, type FilterPolicyScope } from './filter/index.js';
import type { Protocol } from './types.js';

/**
 * Subscription attributes, validated as SNS does. Subscribe reports problems as "Invalid parameter: Attributes
 * Reason: …", SetSubscriptionAttributes as "Invalid parameter: …".
 */
export const SUBSCRIPTION_ATTRIBUTES = new Set(['DeliveryPolicy', 'FilterPolicy', 'FilterPolicyScope', 'RawMessageDelivery', 'RedrivePolicy', 'SubscriptionRoleArn']);

/** Attributes whose empty value removes them. */
const REMOVABLE = new Set(['DeliveryPolicy', 'FilterPolicy', 'RedrivePolicy', 'SubscriptionRoleArn']);

const RAW_PROTOCOLS = new Set<Protocol>(['sqs', 'http', 'https']);

export interface AttributeContext {
  protocol: Protocol;
  fifoTopic: boolean;
  /** "Invalid parameter: " or "Invalid parameter: Attributes Reason: ". */
  errorPrefix: string;
}

function fail(context: AttributeContext, message: string): Error {
  return snsError('InvalidParameterException', `${context.errorPrefix}${message}`);
}

/**
 * Applies `changes` to `current`, validating each change and then the filter policy against the resulting scope,
 * and returns the new attribute map.
 */
export function applySubscriptionAttributes(current: Record<string, string>, changes: Record<string, string>, context: AttributeContext): Record<string, string> {
  const next = { ...current };
  for (const [name, value] of Object.entries(changes)) {
    if (!SUBSCRIPTION_ATTRIBUTES.has(name)) throw fail(context, 'AttributeName');
    const checked = checkValue(name, value, context);
    if (checked === undefined) delete next[name];
    else next[name] = checked;
  }
  if ('FilterPolicy' in changes || 'FilterPolicyScope' in changes) checkFilterPolicy(next, context);
  return next;
}

/** The value to store, or undefined to remove the attribute. */
function checkValue(name: string, value: string, context: AttributeContext): string | undefined {
  if (value === '' && REMOVABLE.has(name)) return undefined;
  switch (name) {
    case 'RawMessageDelivery': {
      const lower = value.toLowerCase();
      if (lower !== 'true' && lower !== 'false') throw fail(context, `RawMessageDelivery: Invalid value [${value}]. Must be true or false.`);
      if (lower === 'true' && !RAW_PROTOCOLS.has(context.protocol)) throw fail(context, `Delivery protocol [${context.protocol}] does not support raw message delivery.`);
      return lower;
    }
    case 'FilterPolicyScope':
      if (!FILTER_POLICY_SCOPES.includes(value as FilterPolicyScope)) throw fail(context, `FilterPolicyScope: Invalid value [${value}]. Please use either MessageBody or MessageAttributes`);
      return value;
    case 'RedrivePolicy':
      checkRedrivePolicy(value, context);
      return value;
    case 'DeliveryPolicy':
      parseJson(value, 'DeliveryPolicy', context);
      return value;
    default:
      return value;
  }
}

function parseJson(value: string, name: string, context: AttributeContext): unknown {
  try {
    return JSON.parse(value);
  } catch (error) {
    throw fail(context, `${name}: failed to parse JSON. ${(error as Error).message}`);
  }
}

function checkRedrivePolicy(value: string, context: AttributeContext): void {
  const policy = parseJson(value, 'RedrivePolicy', context) as { deadLetterTargetArn?: unknown } | null;
  const target = policy?.deadLetterTargetArn;
  try {
    if (typeof target !== 'string') throw new Error('missing');
    arnParts(target, 'deadLetterTargetArn');
  } catch {
    throw fail(context, 'RedrivePolicy: deadLetterTargetArn is an invalid arn');
  }
  if (context.fifoTopic && !target.endsWith('.fifo')) throw fail(context, 'RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.');
}

function checkFilterPolicy(attributes: Record<string, string>, context: AttributeContext): void {
  const policy = attributes.FilterPolicy;
  if (!policy) return;
  const scope = (attributes.FilterPolicyScope ?? 'MessageAttributes') as FilterPolicyScope;
  compileFilterPolicy(policy, { scope, errorPrefix: context.errorPrefix });
}
