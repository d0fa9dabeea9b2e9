/**
 * EventBridge Scheduler's rest-json API (2021-06-30, SigV4 scope "scheduler"), so the AWS SDK v3 SchedulerClient, the
 * AWS CLI (`aws scheduler ...`) and boto3 work against Flint unchanged, and schedules that fire on the node's clock.
 *
 * Fidelity.
 * - Matches AWS: CreateSchedule, GetSchedule, UpdateSchedule (replaces every member, as AWS documents), DeleteSchedule,
 *   ListSchedules (GroupName, NamePrefix, State, paging), CreateScheduleGroup, GetScheduleGroup, ListScheduleGroups
 *   (NamePrefix, paging), DeleteScheduleGroup (deletes its schedules), TagResource, UntagResource, ListTagsForResource
 *   (schedule groups). The `default` group always exists. Requests are read, checked against the model's constraints
 *   (AWS's validator wording) and answered by the protocol kit from botocore's model; errors are the model's shapes
 *   with its statuses. "Invalid Schedule Expression <expr>." is as recorded from AWS (LocalStack's
 *   tests/aws/services/scheduler/test_scheduler.snapshot.json, which also shows that a past at() is accepted) and
 *   "Schedule <name> does not exist." as AWS answers it. GetSchedule fills in AWS's defaults (ScheduleExpressionTimezone
 *   UTC, ActionAfterCompletion NONE, State ENABLED, RetryPolicy 185 attempts / 86400 s), as a CloudFormation
 *   recording shows. Expressions: at(yyyy-mm-ddThh:mm:ss), rate(n minute|minutes|hour|hours|day|days), six-field cron,
 *   read in ScheduleExpressionTimezone with Node's IANA zone rules; DST as AWS documents it (a skipped time does not
 *   run, a repeated one runs once; a rate is a plain duration); a rate without StartDate starts at once; StartDate and
 *   EndDate bound recurring schedules; FlexibleTimeWindow delays each invocation by a fixed point of its window (derived
 *   from the schedule ARN and instant, so it is reproducible); DISABLED schedules do not run; ActionAfterCompletion
 *   DELETE removes a schedule after its last invocation. Targets: Lambda functions (an Event invocation through
 *   FunctionCalls, payload = Target.Input), SQS queues (MessageGroupId from SqsParameters for FIFO) and SNS topics,
 *   with the context attributes <aws.scheduler.schedule-arn|scheduled-time|execution-id|attempt-number> filled in;
 *   RetryPolicy (attempts and event age) and an SQS DeadLetterConfig for deliveries that fail.
 * - Durable: an invocation is stored in the `scheduler-invocations` work queue in the same write that records the
 *   schedule fired, and delivered from there at least once; an instant fires once even with several nodes on one store.
 *   State is in the metadata store and survives restarts.
 * - Missing: universal targets (arn:aws:scheduler:::aws-sdk:...), EventBridge bus, Step Functions, ECS, Kinesis,
 *   SageMaker and other templated targets are accepted and stored, but an invocation of one fails as a client-side
 *   error (into the dead-letter queue when there is one); KmsKeyArn is stored, nothing is encrypted; the execution
 *   role (RoleArn) is not assumed or checked; ServiceQuotaExceededException and ThrottlingException are never sent.
 * - Guessed (no recording of AWS at hand; Flint's wording): the messages for an unknown time zone, a FlexibleTimeWindow
 *   whose MaximumWindowInMinutes does not fit its Mode, EndDate not after StartDate, a target ARN that is not an ARN,
 *   an existing schedule or group (ConflictException), a missing group (also for ListSchedules' GroupName), deleting the
 *   default group; rate units agreeing in number with the value (rate(1 minute), rate(5 minutes)) as EventBridge rules
 *   require; a past at() runs at once; a re-enabled or updated rate keeps its phase unless its expression, zone or
 *   StartDate changed; the tag limit per group (200, the model's TagList maximum); the payload when
 *   Target.Input is absent (`{}`); the dead-letter message's attributes (ERROR_CODE, ERROR_MESSAGE,
 *   EXHAUSTED_RETRY_CONDITION, RETRY_ATTEMPTS, SCHEDULE_ARN, TARGET_ARN, after EventBridge's); the retry backoff
 *   (1 s doubling to 5 minutes, no jitter); a FIFO queue target gets the execution id as MessageDeduplicationId.
 * - Differs by design: one region and account (the node's). DeleteScheduleGroup removes the schedules before it answers
 *   (AWS shows the group DELETING meanwhile). Invocations happen at their exact instant rather than within the minute.
 *   A one-time schedule whose time passed while the node was down runs when it starts; recurring schedules do not
 *   replay instants missed while it was down.
 */
import type { Clock, Logger, Service, ServiceRequest, ServiceResponse } from '../../core/index.js';
import { defineService, type AwsService } from '../../protocol/index.js';
import type { MetadataStore, QueueStore } from '../../storage/index.js';
import type { Operations } from './api.js';
import type { SchedulerContext } from './context.js';
import { InvocationDelivery } from './delivery.js';
import { SCHEDULER_MODEL, SCHEDULER_WORDING } from './errors.js';
import { ensureDefaultGroup } from './groups.js';
import { HANDLERS } from './operations.js';
import { ScheduleRunner } from './runner.js';
import { SchedulerState } from './state.js';
import type { SchedulerTargets } from './types.js';

export interface SchedulerServiceOptions {
  region: string;
  accountId: string;
  clock: Clock;
  logger: Logger;
  targets: SchedulerTargets;
}

export interface SchedulerStorage {
  metadata: MetadataStore;
  queues: QueueStore;
}

export class SchedulerService implements Service {
  private readonly ctx: SchedulerContext;
  private readonly delivery: InvocationDelivery;
  private readonly api: AwsService<Operations, SchedulerContext>;

  constructor(storage: SchedulerStorage, options: SchedulerServiceOptions) {
    const logger = options.logger.child('scheduler');
    const state = new SchedulerState(storage.metadata);
    this.delivery = new InvocationDelivery({ queues: storage.queues, targets: options.targets, clock: options.clock, logger });
    const runner = new ScheduleRunner({ state, clock: options.clock, logger, stored: () => this.delivery.wake() });
    this.ctx = { scope: { region: options.region, accountId: options.accountId }, state, clock: options.clock, runner };
    this.api = defineService<Operations, SchedulerContext>({
      name: 'scheduler',
      model: SCHEDULER_MODEL,
      handlers: HANDLERS,
      context: () => this.ctx,
      wording: SCHEDULER_WORDING,
      logger,
    });
  }

  handle(request: ServiceRequest): Promise<ServiceResponse> {
    return this.api.handle(request);
  }

  /** Creates the default group, arms every stored schedule and starts delivering (invocations stored before a restart too). */
  async start(): Promise<void> {
    await ensureDefaultGroup(this.ctx);
    await this.ctx.runner.start();
    this.delivery.start();
  }

  /** Stops firing, then delivering; attempts in flight go back to the queue for the next start. */
  async close(): Promise<void> {
    this.ctx.runner.close();
    await this.delivery.close();
  }
}
