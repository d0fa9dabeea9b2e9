import { z } from 'zod';

/**
 * SNS's delivery retry policies. A policy has four phases: retries with no delay, retries at the minimum delay,
 * a backoff phase from the minimum to the maximum delay, and retries at the maximum delay. HTTP(S) endpoints use
 * the topic's or subscription's DeliveryPolicy (default: 3 retries 20 seconds apart); SQS and Lambda use SNS's
 * fixed policy for AWS-managed endpoints (100,015 attempts over about 23 days). SNS adds jitter; Flint does not,
 * so retries happen at predictable times. The backoff curves are approximations of SNS's.
 */
export const BACKOFF_FUNCTIONS = ['linear', 'arithmetic', 'geometric', 'exponential'] as const;

export const retryPolicySchema = z.object({
  minDelayTarget: z.number(),
  maxDelayTarget: z.number(),
  numRetries: z.number(),
  numMaxDelayRetries: z.number(),
  numNoDelayRetries: z.number(),
  numMinDelayRetries: z.number(),
  backoffFunction: z.enum(BACKOFF_FUNCTIONS),
});

export type RetryPolicy = z.infer<typeof retryPolicySchema>;

export const HTTP_DEFAULT_POLICY: RetryPolicy = {
  minDelayTarget: 20,
  maxDelayTarget: 20,
  numRetries: 3,
  numMaxDelayRetries: 0,
  numNoDelayRetries: 0,
  numMinDelayRetries: 0,
  backoffFunction: 'linear',
};

export const AWS_MANAGED_POLICY: RetryPolicy = {
  minDelayTarget: 1,
  maxDelayTarget: 20,
  numRetries: 100_015,
  numMaxDelayRetries: 100_000,
  numNoDelayRetries: 3,
  numMinDelayRetries: 2,
  backoffFunction: 'exponential',
};

export const DEFAULT_CONTENT_TYPE = 'text/plain; charset=UTF-8';

/** The topic attribute EffectiveDeliveryPolicy when no DeliveryPolicy is set, as SNS shows it. */
export const DEFAULT_EFFECTIVE_DELIVERY_POLICY = JSON.stringify({
  http: {
    defaultHealthyRetryPolicy: HTTP_DEFAULT_POLICY,
    disableSubscriptionOverrides: false,
    defaultRequestPolicy: { headerContentType: DEFAULT_CONTENT_TYPE },
  },
});

/** Milliseconds to wait before retry number `retry` (1-based), or undefined when the policy is exhausted. */
export function retryDelayMs(policy: RetryPolicy, retry: number): number | undefined {
  if (retry > policy.numRetries) return undefined;
  const backoffRetries = Math.max(0, policy.numRetries - policy.numNoDelayRetries - policy.numMinDelayRetries - policy.numMaxDelayRetries);
  let n = retry;
  if (n <= policy.numNoDelayRetries) return 0;
  n -= policy.numNoDelayRetries;
  if (n <= policy.numMinDelayRetries) return policy.minDelayTarget * 1000;
  n -= policy.numMinDelayRetries;
  if (n <= backoffRetries) return backoffDelay(policy, backoffRetries === 1 ? 1 : (n - 1) / (backoffRetries - 1)) * 1000;
  return policy.maxDelayTarget * 1000;
}

function backoffDelay(policy: RetryPolicy, progress: number): number {
  const span = policy.maxDelayTarget - policy.minDelayTarget;
  const curve = { linear: progress, arithmetic: progress ** 2, geometric: progress ** 3, exponential: (2 ** (10 * progress) - 1) / (2 ** 10 - 1) }[policy.backoffFunction];
  return policy.minDelayTarget + span * curve;
}

const partialPolicy = retryPolicySchema.partial();
const subscriptionPolicySchema = z.object({
  healthyRetryPolicy: partialPolicy.nullish(),
  requestPolicy: z.object({ headerContentType: z.string().optional() }).nullish(),
});
const topicPolicySchema = z.object({
  http: z
    .object({
      defaultHealthyRetryPolicy: partialPolicy.nullish(),
      disableSubscriptionOverrides: z.boolean().optional(),
      defaultRequestPolicy: z.object({ headerContentType: z.string().optional() }).nullish(),
    })
    .optional(),
});

export interface HttpDelivery {
  retry: RetryPolicy;
  contentType: string;
}

/** The retry policy and content type for an HTTP(S) subscription, from its own and its topic's DeliveryPolicy. */
export function httpDelivery(subscriptionPolicy: string | undefined, topicPolicy: string | undefined): HttpDelivery {
  const topic = parsePolicy(topicPolicy, topicPolicySchema)?.http;
  const own = topic?.disableSubscriptionOverrides ? undefined : parsePolicy(subscriptionPolicy, subscriptionPolicySchema);
  return {
    retry: { ...HTTP_DEFAULT_POLICY, ...definedFields(topic?.defaultHealthyRetryPolicy), ...definedFields(own?.healthyRetryPolicy) },
    contentType: own?.requestPolicy?.headerContentType ?? topic?.defaultRequestPolicy?.headerContentType ?? DEFAULT_CONTENT_TYPE,
  };
}

function parsePolicy<T>(text: string | undefined, schema: z.ZodType<T>): T | undefined {
  if (!text) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function definedFields<T extends object>(value: T | null | undefined): Partial<T> {
  if (!value) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
