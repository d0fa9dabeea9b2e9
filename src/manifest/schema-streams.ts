/**
 * Event source options Lambda's API accepts and flint.yaml passes through (issue 13): FilterCriteria on SQS and
 * DynamoDB stream mappings, SQS ScalingConfig.MaximumConcurrency, the stream error handling settings
 * (MaximumRetryAttempts, BisectBatchOnFunctionError, FunctionResponseTypes, DestinationConfig.OnFailure,
 * MaximumRecordAgeInSeconds, MaximumBatchingWindowInSeconds, ParallelizationFactor), and `eventBridge` events: a
 * rule on the default or a custom bus that delivers to the function. Ranges are Lambda's and EventBridge's
 * (https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html).
 */
import { z } from 'zod';
import { intIn, isRecord, namePattern, strictObject } from './fields.js';
import { scheduleProblem } from './schedule.js';

/** Lambda accepts at most five filters per mapping (the default quota). */
const MAX_FILTERS = 5;
/** EventBridge bus names: 1 to 256 of [.-_A-Za-z0-9]; "default" names the account's default bus. */
export const BUS_NAME = /^[A-Za-z0-9._-]{1,256}$/;
export const DEFAULT_BUS = 'default';

const pattern = z.record(z.string(), z.unknown(), { error: 'expected an event pattern: a map such as { body: { kind: [order] } }' });

const filters = z
  .array(pattern, { error: 'expected a list of event patterns' })
  .min(1, { error: 'expected at least one pattern' })
  .max(MAX_FILTERS, { error: `expected at most ${MAX_FILTERS} patterns (Lambda's limit per event source)` })
  .meta({ description: 'FilterCriteria: only records one of these patterns matches reach the function; the others are dropped.' });

/** Extra fields of an `sqs:` event. */
export const sqsEventOptions = {
  maximumConcurrency: intIn(2, 1000).optional()
    .meta({ description: 'ScalingConfig.MaximumConcurrency: at most this many invocations for this queue at once.' }),
  filters: filters.optional(),
};

const STREAM_DESTINATION = /^((queue|topic):[A-Za-z0-9_.-]+|arn:aws[a-zA-Z-]*:(sqs|sns):[a-z0-9-]+:\d{12}:.+)$/;
const RECORD_AGE_EXPECTED = 'expected -1 or an integer from 60 to 604800';
const STREAM_DESTINATION_EXPECTED = 'expected queue:<name>, topic:<name> or an SQS or SNS ARN';

/** Extra fields of a `dynamodb:` event. */
export const dynamodbEventOptions = {
  filters: filters.optional(),
  maximumRetryAttempts: intIn(-1, 10_000).optional().meta({ default: -1, description: 'Retries of a failed batch; -1 retries until the records expire.' }),
  bisectOnError: z.boolean({ error: 'expected true or false' }).optional()
    .meta({ default: false, description: 'BisectBatchOnFunctionError: a failed batch is split in two and each half retried.' }),
  reportBatchItemFailures: z.boolean({ error: 'expected true or false' }).optional()
    .meta({ description: 'The function answers {"batchItemFailures": [{"itemIdentifier": <sequence number>}]}; processing resumes from the first one.' }),
  onFailure: z.string({ error: STREAM_DESTINATION_EXPECTED }).regex(STREAM_DESTINATION, { error: STREAM_DESTINATION_EXPECTED }).optional()
    .meta({ description: 'Gets a description of each batch given up on.' }),
  maximumRecordAge: z.int({ error: RECORD_AGE_EXPECTED }).refine((age) => age === -1 || (age >= 60 && age <= 604_800), { error: RECORD_AGE_EXPECTED }).optional()
    .meta({ default: -1, description: 'Seconds; older records are given up on. -1: never.' }),
  batchingWindow: intIn(0, 300).optional().meta({ default: 0, description: 'Seconds to gather a batch before invoking.' }),
  parallelization: intIn(1, 10).optional().meta({ default: 1, description: 'ParallelizationFactor: accepted and reported; Flint reads a shard with one invocation at a time.' }),
};

const EVENTBRIDGE_EXPECTED = 'expected a map with pattern (an event pattern) or schedule, and optionally bus';

/** `eventBridge: { bus?, pattern }` or `{ schedule }`: a rule whose target is the function. */
export const eventBridgeEvent = strictObject({
  bus: namePattern(BUS_NAME, 'a bus name').optional()
    .meta({ default: DEFAULT_BUS, description: 'A bus under resources.buses, or "default".' }),
  pattern: pattern.optional().meta({ description: 'An EventBridge event pattern such as { source: [my.app], detail-type: [order placed] }.' }),
  schedule: z.string({ error: 'expected a schedule expression such as rate(5 minutes)' }).optional()
    .meta({ description: 'A schedule expression (default bus only).' }),
}, { expected: EVENTBRIDGE_EXPECTED }).superRefine((rule, ctx) => {
  if ((rule.pattern === undefined) === (rule.schedule === undefined)) {
    ctx.addIssue({ code: 'custom', message: 'an eventBridge event has either a pattern or a schedule' });
  }
  if (rule.pattern !== undefined && Object.keys(rule.pattern).length === 0) ctx.addIssue({ code: 'custom', path: ['pattern'], message: 'expected a non-empty event pattern' });
  if (rule.schedule !== undefined) {
    const problem = scheduleProblem(rule.schedule.trim());
    if (problem !== undefined) ctx.addIssue({ code: 'custom', path: ['schedule'], message: problem });
    if ((rule.bus ?? DEFAULT_BUS) !== DEFAULT_BUS) ctx.addIssue({ code: 'custom', path: ['bus'], message: 'a schedule runs on the default bus only (EventBridge refuses ScheduleExpression on custom buses)' });
  }
});

/** The bus an event names must be "default" or declared under resources.buses. */
export function checkBusReference(event: unknown, where: PropertyKey[], buses: Record<string, unknown>, ctx: z.RefinementCtx): void {
  if (!isRecord(event) || event.eventBridge === undefined) return;
  const parsed = eventBridgeEvent.safeParse(event.eventBridge);
  if (!parsed.success) return;
  const bus = parsed.data.bus ?? DEFAULT_BUS;
  if (bus === DEFAULT_BUS || bus in buses) return;
  const names = Object.keys(buses);
  const known = names.length > 0 ? ` (declared: ${names.join(', ')})` : '';
  ctx.addIssue({ code: 'custom', path: [...where, 'eventBridge', 'bus'], message: `no bus '${bus}' under resources.buses${known}` });
}
