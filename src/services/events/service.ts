/**
 * EventBridge's JSON 1.1 API (AWSEvents, 2015-10-07), so the AWS SDK v3 EventBridgeClient, the AWS CLI and boto3 work
 * against Flint unchanged, with durable delivery of events to functions, queues, topics and other buses.
 *
 * Fidelity.
 * - Matches AWS: event buses (the default one always there; CreateEventBus, DescribeEventBus, ListEventBuses with
 *   NamePrefix and paging, DeleteEventBus refusing the default bus); rules (PutRule with EventPattern and/or
 *   ScheduleExpression, replacing what an update leaves out; DescribeRule with CreatedBy; ListRules with NamePrefix,
 *   Limit and NextToken; Enable/DisableRule; DeleteRule refusing while targets remain; ListRuleNamesByTarget);
 *   targets (PutTargets/RemoveTargets/ListTargetsByRule, at most five per rule) for Lambda functions (asynchronous
 *   invocation), SQS queues (MessageGroupId for FIFO queues, the event id as deduplication id), SNS topics and other
 *   buses, with Input, InputPath and InputTransformer (InputPathsMap, InputTemplate and the aws.events.* variables)
 *   rendered as EventBridge renders them, DeadLetterConfig to an SQS queue with EventBridge's message attributes,
 *   and RetryPolicy; PutEvents with the event envelope as EventBridge delivers it, entry errors (InvalidArgument,
 *   MalformedDetail, NotAuthorizedForSourceException for aws.* sources) in Entries, 10 entries and 256 KB per request;
 *   TestEventPattern; Tag/UntagResource and ListTagsForResource on buses and rules. Event patterns are the full
 *   language (events/patterns/), validated with EventBridge's InvalidEventPatternException reasons. Scheduled
 *   rules (default bus) fire on the node's clock with the "Scheduled Event" envelope. Messages are EventBridge's, from
 *   LocalStack's recordings of AWS (tests/aws/services/events/*.snapshot.json).
 * - Flint's own flint.yaml schedules appear as rules of the default bus (`<app>-<function>-schedule-<n>`, ManagedBy
 *   "flint", the function as target) in ListRules, DescribeRule, ListTargetsByRule and ListRuleNamesByTarget; the
 *   node's Scheduler fires them, and changing them through the API is refused with ManagedRuleException (in Flint's
 *   words: AWS's message for its service-managed rules was not at hand).
 * - flint.yaml's `eventBridge` events and `resources.buses` become ordinary rules (`<app>-<function>-rule-<n>`) and
 *   buses, made through the same operations and tagged `flint:app`; a redeploy deletes the app's tagged ones it no
 *   longer declares, as CloudFormation does with a stack's resources.
 * - Durable: PutEvents answers after one delivery item per (matched rule, target) is stored in the
 *   `events-deliveries` work queue; each is delivered at least once, across restarts, retried with backoff.
 * - Missing: archives and replays, API destinations and connections, endpoints, partner event sources, resource
 *   policies (PutPermission/RemovePermission), UpdateEventBus, bus-level dead-letter queues and KMS keys, targets other
 *   than Lambda, SQS, SNS and buses (reported in PutTargets' FailedEntries), RoleArn is stored and not used.
 *   Unimplemented operations answer UnknownOperationException.
 * - Differs by design: one region and account (the node's). Pattern refusals omit the Jackson source location
 *   AWS appends ("\n at [Source: …]"), and the wildcard complexity limit is an estimate of EventBridge's. Retries have
 *   no jitter (1 s doubling to 5 minutes). Routing between buses stops after five buses. PutEvents checks each
 *   bus an entry names before accepting any entry.
 */
import type { Clock, Logger, Service, ServiceRequest, ServiceResponse } from '../../core/index.js';
import { compileEventPattern, type EventPattern } from '../../events/index.js';
import { defineService, type AwsService, type Handlers } from '../../protocol/index.js';
import type { MetadataStore, QueueStore } from '../../storage/index.js';
import type { Operations } from './api.js';
import { busNameOf, DEFAULT_BUS, type Scope } from './arns.js';
import { createEventBus, deleteEventBus, describeEventBus, listEventBuses } from './buses.js';
import { DeliveryDispatcher } from './deliveries.js';
import { EVENTS_MODEL } from './errors.js';
import { syncAppRules, type AppRule } from './app-rules.js';
import { putEvents, testEventPattern } from './put-events.js';
import { routeToBus, type Envelope } from './routing.js';
import { deleteRule, describeRule, listRuleNamesByTarget, listRules, putRule, setRuleState } from './rules.js';
import { ScheduledRules } from './scheduled-rules.js';
import { EventsState } from './state.js';
import { listTagsForResource, tagResource, untagResource } from './tags.js';
import { listTargetsByRule, putTargets, removeTargets } from './targets.js';
import type { EventsContext, EventTargets } from './types.js';

export interface EventBridgeOptions extends Scope {
  clock: Clock;
  logger: Logger;
  targets: EventTargets;
}

/** A schedule declared in flint.yaml, as the node's Scheduler keeps it. */
export interface FlintSchedule {
  app: string;
  name: string;
  functionName: string;
  expression: string;
  createdAt: number;
}

export interface EventBridgeStorage {
  metadata: MetadataStore;
  queues: QueueStore;
}

const HANDLERS: Handlers<Operations, EventsContext> = {
  CreateEventBus: (input, ctx) => createEventBus(ctx, input),
  DescribeEventBus: (input, ctx) => describeEventBus(ctx, input),
  ListEventBuses: (input, ctx) => listEventBuses(ctx, input),
  DeleteEventBus: (input, ctx) => deleteEventBus(ctx, input),
  PutRule: (input, ctx) => putRule(ctx, input),
  DescribeRule: (input, ctx) => describeRule(ctx, input),
  ListRules: (input, ctx) => listRules(ctx, input),
  EnableRule: (input, ctx) => setRuleState(ctx, input, 'ENABLED'),
  DisableRule: (input, ctx) => setRuleState(ctx, input, 'DISABLED'),
  DeleteRule: (input, ctx) => deleteRule(ctx, input),
  ListRuleNamesByTarget: (input, ctx) => listRuleNamesByTarget(ctx, input),
  PutTargets: (input, ctx) => putTargets(ctx, input),
  RemoveTargets: (input, ctx) => removeTargets(ctx, input),
  ListTargetsByRule: (input, ctx) => listTargetsByRule(ctx, input),
  PutEvents: (input, ctx) => putEvents(ctx, input),
  TestEventPattern: async (input, ctx) => testEventPattern(ctx, input),
  TagResource: (input, ctx) => tagResource(ctx, input).then(() => ({})),
  UntagResource: (input, ctx) => untagResource(ctx, input).then(() => ({})),
  ListTagsForResource: (input, ctx) => listTagsForResource(ctx, input),
};

/** A target Id from a function name: EventBridge's ids are at most 64 of [.-_A-Za-z0-9]. */
function targetId(functionName: string): string {
  return functionName.replace(/[^.\-_A-Za-z0-9]/g, '-').slice(0, 64);
}

/** Compiled patterns kept at once; past this the oldest is forgotten (and compiled again when next used). */
const PATTERN_CACHE = 1000;

export class EventBridgeService implements Service {
  private readonly ctx: EventsContext;
  private readonly api: AwsService<Operations, EventsContext>;
  private readonly dispatcher: DeliveryDispatcher;
  private readonly schedules: ScheduledRules;
  private readonly patterns = new Map<string, EventPattern>();

  constructor(storage: EventBridgeStorage, options: EventBridgeOptions) {
    const logger = options.logger.child('events');
    this.schedules = new ScheduledRules(() => this.ctx);
    this.dispatcher = new DeliveryDispatcher({
      queues: storage.queues,
      targets: options.targets,
      forward: (arn, event, hops) => this.forward(arn, event, hops),
      clock: options.clock,
      logger,
    });
    this.ctx = {
      scope: { region: options.region, accountId: options.accountId },
      state: new EventsState(storage.metadata),
      metadata: storage.metadata,
      queues: storage.queues,
      clock: options.clock,
      logger,
      pattern: (text) => this.pattern(text),
      delivered: () => this.dispatcher.wake(),
      ruleChanged: (rule, key) => this.schedules.arm(rule, key),
    };
    this.api = defineService<Operations, EventsContext>({ name: 'events', model: EVENTS_MODEL, handlers: HANDLERS, context: () => this.ctx, logger });
  }

  handle(request: ServiceRequest): Promise<ServiceResponse> {
    return this.api.handle(request);
  }

  /** Creates the default bus on first start, arms scheduled rules and starts delivering what was accepted before. */
  async start(): Promise<void> {
    if (!(await this.ctx.state.bus(DEFAULT_BUS))) {
      const now = this.ctx.clock.now();
      await this.ctx.state.putBus({ name: DEFAULT_BUS, createdAt: now, modifiedAt: now, tags: [] });
    }
    await this.schedules.start();
    this.dispatcher.start();
  }

  async close(): Promise<void> {
    this.schedules.close();
    await this.dispatcher.close();
  }

  /**
   * Shows Flint's own schedules (flint.yaml, fired by the node's Scheduler) as rules of the default bus with their
   * function as target, ManagedBy "flint": ListRules, DescribeRule and ListTargetsByRule see them; changing them
   * through the API is refused with ManagedRuleException.
   */
  showSchedules(source: () => Promise<FlintSchedule[]>): void {
    const { region, accountId } = this.ctx.scope;
    this.ctx.state.useManagedRules(async () =>
      (await source()).map((schedule) => ({
        name: schedule.name,
        bus: DEFAULT_BUS,
        scheduleExpression: schedule.expression,
        state: 'ENABLED',
        description: `Schedule of ${schedule.functionName} declared in flint.yaml of app ${schedule.app}`,
        createdAt: schedule.createdAt,
        tags: [],
        targets: [{ Id: targetId(schedule.functionName), Arn: `arn:aws:lambda:${region}:${accountId}:function:${schedule.functionName}` }],
        managedBy: 'flint',
      })),
    );
  }

  /**
   * The buses and rules a flint.yaml app declares: created or brought in line, and the app's own (tagged
   * `flint:app`) that it no longer declares deleted. Call with no buses and rules to remove an app's.
   */
  async syncAppRules(app: string, buses: string[], rules: AppRule[]): Promise<void> {
    await syncAppRules(this.ctx, app, buses, rules);
  }

  /**
   * Events AWS services of this node put on a bus (S3's EventBridgeConfiguration): routed as PutEvents routes its
   * entries, and stored as delivery items before this resolves, so the caller may forget them then. Routing one event
   * twice (a retried hand-over) stores its deliveries once: their ids derive from the event's id.
   */
  async acceptServiceEvent(busArn: string, event: Envelope): Promise<void> {
    const bus = busNameOf(busArn);
    await this.ctx.state.requireBus(bus);
    await routeToBus(this.ctx, bus, [event], 0);
  }

  /** A target that is a bus: the event is routed there as it is, unless that bus is gone. */
  private async forward(arn: string, eventText: string, hops: number): Promise<void> {
    const bus = busNameOf(arn);
    await this.ctx.state.requireBus(bus);
    await routeToBus(this.ctx, bus, [JSON.parse(eventText) as Envelope], hops);
  }

  private pattern(text: string): EventPattern {
    let compiled = this.patterns.get(text);
    if (!compiled) {
      compiled = compileEventPattern(text);
      if (this.patterns.size >= PATTERN_CACHE) this.patterns.delete(this.patterns.keys().next().value!);
      this.patterns.set(text, compiled);
    }
    return compiled;
  }
}
