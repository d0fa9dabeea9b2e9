/**
 * The AWS data services of a node (S3, SQS, SNS, DynamoDB) and the glue between them: S3 notifications and
 * SNS deliveries reach functions through the durable async invocation queue and queues through SQS, so
 * every hand-over is stored before it is acknowledged.
 */
import { FlintError, type Clock, type Faults, type Logger, type Service } from '../core/index.js';
import type { FunctionCalls, FunctionTargets } from '../events/index.js';
import type { ResourcesSpec } from '../manifest/index.js';
import { DynamoDbService, ensureTable } from '../services/dynamodb/index.js';
import { EventBridgeService, type EventTargets } from '../services/events/index.js';
import { ensureBucket, S3Service, type S3BusEvent, type S3NotificationSink, type S3NotificationTarget, type S3Principals } from '../services/s3/index.js';
import { SecretsManagerService, type RotationFunctions } from '../services/secretsmanager/index.js';
import { SnsService, type QueueMessageAttribute, type SnsTargets } from '../services/sns/index.js';
import { SchedulerService, type SchedulerTargets } from '../services/scheduler/index.js';
import { ensureQueue, SqsService } from '../services/sqs/index.js';
import { SsmService } from '../services/ssm/index.js';
import type { Storage } from '../storage/index.js';

export interface DataServiceParts {
  storage: Storage;
  clock: Clock;
  logger: Logger;
  region: string;
  accountId: string;
  url: string;
  targets: FunctionTargets;
  /** Late: the calls exist once the invoker does. */
  calls: () => FunctionCalls;
  faults: Faults;
  /** Who temporary credentials belong to, so S3 can tell other accounts from the node's own. */
  principals?: S3Principals;
}

export class DataServices {
  readonly s3: S3Service;
  readonly sqs: SqsService;
  readonly sns: SnsService;
  readonly dynamodb: DynamoDbService;
  /** EventBridge Scheduler: its schedules invoke functions, queues and topics of this node. */
  readonly scheduler: SchedulerService;
  /** EventBridge: buses, rules and their deliveries to functions, queues, topics and other buses. */
  readonly events: EventBridgeService;
  /** SSM Parameter Store: configuration apps read. */
  readonly ssm: SsmService;
  /** Secrets Manager: its rotations call functions of this node. */
  readonly secretsmanager: SecretsManagerService;

  constructor(private readonly parts: DataServiceParts) {
    const { storage, clock, logger, region, accountId } = parts;
    this.sqs = new SqsService(storage.messages, { region, accountId, clock, logger: logger.child('sqs') });
    this.sns = new SnsService({ metadata: storage.metadata, queues: storage.queues }, { region, accountId, clock, logger: logger.child('sns'), targets: this.snsTargets(), baseUrl: parts.url });
    this.s3 = new S3Service(storage.objects, { region, accountId, clock, logger: logger.child('s3'), notifications: this.s3Sink(), queues: storage.queues, faults: parts.faults, principals: parts.principals });
    this.dynamodb = new DynamoDbService(storage.tables, { region, accountId, clock, logger: logger.child('dynamodb'), transfers: { objects: storage.objects, metadata: storage.metadata } });
    this.scheduler = new SchedulerService({ metadata: storage.metadata, queues: storage.queues }, { region, accountId, clock, logger, targets: this.deliveryTargets() });
    this.events = new EventBridgeService({ metadata: storage.metadata, queues: storage.queues }, { region, accountId, clock, logger, targets: this.deliveryTargets() });
    this.secretsmanager = new SecretsManagerService(storage.metadata, { region, accountId, clock, logger, functions: this.rotationFunctions() });
    this.ssm = new SsmService(storage.metadata, { region, accountId, clock, logger, secrets: { current: (id) => this.secretsmanager.current(id) } });
  }

  mounted(): Record<string, Service> {
    return { s3: this.s3, sqs: this.sqs, sns: this.sns, dynamodb: this.dynamodb, scheduler: this.scheduler, events: this.events, ssm: this.ssm, secretsmanager: this.secretsmanager };
  }

  /** EventBridge before S3: S3's outbox may hold events for the default bus from before a restart. */
  async start(): Promise<void> {
    this.sns.start();
    this.dynamodb.start();
    await this.scheduler.start();
    await this.events.start();
    this.s3.start();
  }

  async close(): Promise<void> {
    await this.secretsmanager.close();
    await this.scheduler.close();
    await this.s3.close();
    this.sqs.close();
    await this.events.close();
    await this.sns.close();
    await this.dynamodb.close();
  }

  /** Creates what flint.yaml declares and does not exist yet; returns what was created. */
  async ensure(resources: ResourcesSpec): Promise<string[]> {
    const created: string[] = [];
    const { storage, clock, region } = this.parts;
    for (const table of resources.tables) {
      if ((await ensureTable(storage.tables, table, clock)).created) created.push(`table ${table.name}`);
      await this.dynamodb.applyTableSettings(table);
    }
    // Dead-letter queues first, so a queue's redrive policy can name them.
    const queues = [...resources.queues].sort((a, b) => Number(Boolean(a.deadLetter)) - Number(Boolean(b.deadLetter)));
    for (const queue of queues) if ((await ensureQueue(storage.messages, queue)).created) created.push(`queue ${queue.name}`);
    for (const topic of resources.topics) await this.sns.ensureTopic(topic.name);
    for (const bucket of resources.buckets) if (await ensureBucket(storage.objects, bucket.name, region)) created.push(`bucket ${bucket.name}`);
    for (const parameter of resources.parameters) {
      const done = await this.ssm.ensure(parameter);
      if (done) created.push(`parameter ${parameter.name}${done === 'updated' ? ' (new version: its value changed in flint.yaml)' : ''}`);
    }
    for (const secret of resources.secrets) {
      const done = await this.secretsmanager.ensure(secret);
      if (done) created.push(`secret ${secret.name}${done === 'updated' ? ' (new version: its value changed in flint.yaml)' : ''}`);
    }
    return created;
  }

  /** Accepts an Event invocation of a function named by ARN (or name) with a JSON event. */
  async invokeAsync(functionArn: string, event: unknown): Promise<void> {
    await this.parts.calls().accept({ functionName: functionArn, payload: Buffer.from(JSON.stringify(event)) });
  }

  /** Secrets Manager runs rotation functions synchronously, one step at a time, as AWS does. */
  private rotationFunctions(): RotationFunctions {
    return {
      exists: async (arn) => {
        try {
          await this.parts.targets.resolve(arn, undefined);
          return true;
        } catch {
          return false;
        }
      },
      invoke: async (arn, event) => {
        const { result } = await this.parts.calls().invoke({ functionName: arn, payload: Buffer.from(JSON.stringify(event)) });
        return result.status === 'success' ? {} : { errorType: result.errorType ?? result.status };
      },
    };
  }

  private snsTargets(): SnsTargets {
    return {
      invokeFunction: (arn, event) => this.invokeAsync(arn, event),
      sendToQueue: async (arn, body, attributes, fifo) => {
        await this.sqs.queues.send(arn, body, { messageAttributes: attributes && toSqsAttributes(attributes), groupId: fifo?.messageGroupId, deduplicationId: fifo?.messageDeduplicationId });
      },
    };
  }

  /** Where EventBridge rules and Scheduler schedules deliver: functions by Event invocation, queues, topics. */
  private deliveryTargets(): SchedulerTargets & EventTargets {
    const publish = async (arn: string, message: string): Promise<void> => void (await this.sns.publish({ topicArn: arn, message }));
    return {
      invokeFunction: async (arn, payload, requestId?: string) => void (await this.parts.calls().accept({ functionName: arn, payload: Buffer.from(payload), requestId })),
      sendToQueue: async (arn, body, options = {}) => {
        await this.sqs.queues.send(arn, body, { messageAttributes: options.attributes, groupId: options.messageGroupId, deduplicationId: options.deduplicationId });
      },
      publish,
      publishToTopic: publish,
    };
  }

  private s3Sink(): S3NotificationSink {
    return {
      deliver: async (target, event) => {
        if (target.kind === 'function') return this.invokeAsync(target.arn, event);
        if (target.kind === 'eventbridge') return this.events.acceptServiceEvent(target.arn, event as S3BusEvent);
        if (target.kind === 'queue') return void (await this.sqs.queues.send(target.arn, JSON.stringify(event)));
        await this.sns.publish({ topicArn: target.arn, message: JSON.stringify(event), subject: 'Amazon S3 Notification' });
      },
      validate: (target) => this.validate(target),
    };
  }

  /** S3 refuses a notification configuration whose destination does not exist. */
  private async validate(target: S3NotificationTarget): Promise<string | undefined> {
    try {
      if (target.kind === 'function') await this.parts.targets.resolve(target.arn, undefined);
      else if (target.kind === 'queue') {
        if (!(await this.sqs.queues.describe(target.arn))) return `the queue ${target.arn} does not exist`;
      } else if (!(await this.sns.topicExists(target.arn))) return `the topic ${target.arn} does not exist`;
      return undefined;
    } catch (error) {
      return error instanceof FlintError ? error.message : String(error);
    }
  }
}

/** SNS carries binary attribute values as bytes; SQS as base64. */
function toSqsAttributes(attributes: Record<string, QueueMessageAttribute>): Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }> {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, a]) => [name, { DataType: a.DataType, StringValue: a.StringValue, BinaryValue: a.BinaryValue ? Buffer.from(a.BinaryValue).toString('base64') : undefined }]),
  );
}
