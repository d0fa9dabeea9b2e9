/**
 * Lambda's event machinery on a node: the durable async queue with per-function retries and
 * destinations, event source mappings polling SQS and DynamoDB streams, and schedules; connected to the
 * data services through the ports events/ defines.
 */
import type { Clock, Logger } from '../core/index.js';
import {
  EventInvokeConfigs,
  EventSourceMappings,
  FunctionCaller,
  Scheduler,
  TableStreamSource,
  type AsyncInvocations,
  type CallObserver,
  type DestinationSender,
  type FunctionCalls,
  type FunctionTargets,
} from '../events/index.js';
import type { FunctionRegistry } from '../functions/index.js';
import type { Invoker } from '../invoker/index.js';
import { formatStreamRecord } from '../services/dynamodb/index.js';
import type { Storage } from '../storage/index.js';
import type { DataServices } from './data-services.js';

export interface EventParts {
  storage: Storage;
  registry: FunctionRegistry;
  targets: FunctionTargets;
  invoker: Invoker;
  data: DataServices;
  clock: Clock;
  logger: Logger;
  region: string;
  accountId: string;
  observer?: CallObserver;
}

export class EventSystem {
  /** The one way functions are called: every caller on the node goes through it. */
  readonly calls: FunctionCalls;
  readonly async: AsyncInvocations;
  readonly invokeConfigs: EventInvokeConfigs;
  readonly mappings: EventSourceMappings;
  readonly scheduler: Scheduler;

  constructor(parts: EventParts) {
    const { storage, registry, targets, invoker, data, clock, logger, region, accountId } = parts;
    const destinations = sendTo(data, () => this.calls);
    this.invokeConfigs = new EventInvokeConfigs({ metadata: storage.metadata, registry, clock, destinations });
    const caller = new FunctionCaller({
      targets,
      invoker,
      queues: storage.queues,
      clock,
      logger: logger.child('async'),
      settings: this.invokeConfigs,
      destinations,
      observer: parts.observer,
    });
    this.calls = caller;
    this.async = caller.async;
    this.mappings = new EventSourceMappings({
      metadata: storage.metadata,
      registry,
      calls: this.calls,
      clock,
      logger: logger.child('event-sources'),
      queues: data.sqs.queues,
      streams: new TableStreamSource({ tables: storage.tables, format: (record, table) => formatStreamRecord(record, table, { region, accountId }) }),
      destinations,
    });
    this.scheduler = new Scheduler({ metadata: storage.metadata, calls: this.calls, clock, logger: logger.child('schedules'), region, accountId });
    // flint.yaml schedules are EventBridge rules to the API (ListRules, DescribeRule, ListTargetsByRule).
    data.events.showSchedules(() => this.scheduler.rules());
  }

  async start(): Promise<void> {
    this.async.start();
    await this.mappings.start();
    await this.scheduler.start();
  }

  /** Pollers stop before the queues they read; the async queue last, once nothing feeds it. */
  async close(): Promise<void> {
    await this.scheduler.close();
    await this.mappings.close();
    await this.async.close();
  }
}

/** Destinations and dead-letter targets: SQS queues, SNS topics, or functions (invoked asynchronously). */
function sendTo(data: DataServices, calls: () => FunctionCalls): DestinationSender {
  return {
    send: async (arn, body, attributes) => {
      if (arn.includes(':sqs:')) await data.sqs.queues.send(arn, body, { messageAttributes: attributes });
      else if (arn.includes(':sns:')) await data.sns.publish({ topicArn: arn, message: body, messageAttributes: attributes });
      else await calls().accept({ functionName: arn, payload: Buffer.from(body) });
    },
    exists: async (arn) => {
      if (arn.includes(':sqs:')) return Boolean(await data.sqs.queues.describe(arn));
      if (arn.includes(':sns:')) return data.sns.topicExists(arn);
      return true;
    },
  };
}
