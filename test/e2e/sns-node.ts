import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteMessageBatchCommand, GetQueueUrlCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { startTestNode, type TestNode } from '../helpers/node.js';

/**
 * The node the product assembles, with what SNS client tests deliver to: real SQS queues and real Lambda functions
 * deployed from a flint.yaml. Each function sends the event it was invoked with to the queue `<function>-events`, so
 * a test reads what SNS handed the function with the SQS API.
 */
export interface SnsTestNode extends TestNode {
  url: string;
}

const RECORDER = `
const { SQSClient, GetQueueUrlCommand, SendMessageCommand } = require('@aws-sdk/client-sqs');
const sqs = new SQSClient({});
exports.handler = async (event) => {
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: process.env.AWS_LAMBDA_FUNCTION_NAME + '-events' }));
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify(event) }));
};
`;

/** Starts a node and deploys `functions` (each recording its events) and `queues`. */
export async function startSnsNode(options: { functions?: string[]; queues?: string[] } = {}): Promise<SnsTestNode> {
  const test = await startTestNode();
  const app = mkdtempSync(join(tmpdir(), 'flint-sns-app-'));
  try {
    const functions = options.functions ?? [];
    const queues = [...(options.queues ?? []), ...functions.map((name) => `${name}-events`)];
    const manifest = [
      'app: sns-clients',
      ...(functions.length > 0 ? ['functions:', ...functions.map((name) => `  ${name}: { runtime: nodejs20.x, handler: index.handler }`)] : []),
      'resources:',
      `  queues: { ${queues.map((name) => `${name}: {}`).join(', ')} }`,
    ];
    writeFileSync(join(app, 'flint.yaml'), `${manifest.join('\n')}\n`);
    writeFileSync(join(app, 'index.js'), RECORDER);
    writeFileSync(join(app, 'package.json'), '{"type":"commonjs"}');
    await test.node.deployDir(app);
  } catch (error) {
    await test.close();
    throw error;
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
  return { ...test, url: test.node.url };
}

/** Everything received from one queue so far, in the order received; each read takes what is waiting and deletes it. */
export class QueueReader {
  readonly bodies: string[] = [];
  private url: string | undefined;

  constructor(
    private readonly sqs: SQSClient,
    private readonly name: string,
  ) {}

  async read(): Promise<string[]> {
    this.url ??= (await this.sqs.send(new GetQueueUrlCommand({ QueueName: this.name }))).QueueUrl!;
    const { Messages = [] } = await this.sqs.send(new ReceiveMessageCommand({ QueueUrl: this.url, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }));
    if (Messages.length > 0) {
      this.bodies.push(...Messages.map((message) => message.Body ?? ''));
      await this.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: this.url, Entries: Messages.map((message, i) => ({ Id: String(i), ReceiptHandle: message.ReceiptHandle! })) }));
    }
    return [...this.bodies];
  }
}
