import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import type { Clock } from '../../../src/core/index.js';
import type { CallRecord } from '../../../src/events/index.js';
import { createZip } from '../../../src/functions/index.js';
import { ensureQueue } from '../../../src/services/sqs/index.js';
import { startTestNode, type TestNode } from '../../helpers/node.js';

export const REGION = 'us-east-1';
export const ACCOUNT = '000000000000';
export const queueArn = (name: string): string => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;
export const functionArn = (name: string): string => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;

/**
 * The node the product assembles, with an EventBridge and an SQS client on it, and every function run the node's
 * observer reports (the payload a function got is what EventBridge delivered).
 */
export class EventBridgeHarness {
  readonly runs: CallRecord[] = [];
  testNode!: TestNode;
  events!: EventBridgeClient;
  sqs!: SQSClient;

  static async start(options: { clock?: Clock } = {}): Promise<EventBridgeHarness> {
    const h = new EventBridgeHarness();
    h.testNode = await startTestNode({ ...options, observer: { ended: (record) => void h.runs.push(record) } });
    h.events = new EventBridgeClient(h.testNode.config);
    h.sqs = new SQSClient(h.testNode.config);
    return h;
  }

  get url(): string {
    return this.testNode.node.url;
  }

  async close(): Promise<void> {
    this.events.destroy();
    this.sqs.destroy();
    await this.testNode.close();
  }

  async queue(name: string): Promise<string> {
    await ensureQueue(this.testNode.node.storage.messages, { name, fifo: name.endsWith('.fifo'), visibilityTimeout: 30 });
    return queueArn(name);
  }

  async deploy(name: string, source = 'exports.handler = async (event) => ({ ok: true });'): Promise<string> {
    const zip = createZip([{ path: 'index.js', data: Buffer.from(source), mode: 0o644 }]);
    await this.testNode.node.registry.create({ name, zip, runtime: 'nodejs20.x', handler: 'index.handler', timeout: 10 });
    return functionArn(name);
  }

  /** The events a function was given, parsed. */
  eventsOf(fn: string): Record<string, unknown>[] {
    return this.runs.filter((r) => r.functionName === fn && r.result).map((r) => JSON.parse(r.payload.toString('utf8')) as Record<string, unknown>);
  }

  /** Receives (and leaves in flight) whatever the queue holds now. */
  async receive(name: string): Promise<Message[]> {
    const out = await this.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: `${this.url}/${ACCOUNT}/${name}`, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], VisibilityTimeout: 0 }),
    );
    return out.Messages ?? [];
  }
}
