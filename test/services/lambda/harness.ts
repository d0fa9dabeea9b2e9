import { expect } from 'vitest';
import { createZip } from '../../../src/functions/index.js';
import { loadModel, RestRouter } from '../../../src/protocol/index.js';
import { CODE_REQUEST_LIMIT, requestLimit } from '../../../src/services/lambda/index.js';
import type { NewLogRecord } from '../../../src/storage/index.js';
import type { FlintNode } from '../../../src/platform/index.js';
import { startTestNode, type TestNode } from '../../helpers/node.js';

export const REGION = 'us-east-1';
export const ACCOUNT = '000000000000';
export const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';
/** Requests name this host, so URLs the node answers with (GetFunction's Code.Location) start with it. */
export const BASE_URL = 'http://127.0.0.1:4566';
const HOST = new URL(BASE_URL).host;
/** What a SigV4 client sends: the gateway routes by the credential scope and checks no signature. */
const SIGNED = { authorization: `AWS4-HMAC-SHA256 Credential=test/20260101/${REGION}/lambda/aws4_request, SignedHeaders=host, Signature=0` };
/** Where the harness asks the node to send the outcome of every Event invocation of a function it created. */
const FINALS_QUEUE = 'lambda-harness-finals';
const FINALS_QUEUE_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT}:${FINALS_QUEUE}`;

export function arn(name: string, qualifier?: string): string {
  return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}${qualifier === undefined ? '' : `:${qualifier}`}`;
}

/** A Node.js handler that echoes what it saw; `label` ends up in its answer so tests can tell code versions apart. */
export function echoZip(label = 'v1'): Uint8Array {
  const source = `
exports.handler = async (event, context) => {
  console.log('handling', JSON.stringify(event));
  if (event && event.fail) throw new TypeError('asked to fail');
  if (event && event.sleepMs) await new Promise((resolve) => setTimeout(resolve, event.sleepMs));
  return {
    label: ${JSON.stringify(label)},
    event,
    version: context.functionVersion,
    invokedArn: context.invokedFunctionArn,
    requestId: context.awsRequestId,
    clientContext: context.clientContext === undefined ? null : context.clientContext,
    marker: process.env.MARKER === undefined ? null : process.env.MARKER,
  };
};
`;
  return createZip([{ path: 'index.js', data: Buffer.from(source), mode: 0o644 }]);
}

export function zipBase64(zip: Uint8Array): string {
  return Buffer.from(zip).toString('base64');
}

export interface Call {
  method: string;
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
  /** Sends a body larger than any Lambda operation accepts. */
  bodyTooLarge?: boolean;
}

export interface Answer {
  status: number;
  /** As the service sent them (the case a client sees on the wire). */
  headers: Record<string, string>;
  raw: Buffer;
  json(): Record<string, unknown>;
}

/** How an Event invocation ended, as the node's OnSuccess/OnFailure destination reports it. */
interface Final {
  event: { requestId: string };
  result: { payload: Buffer } | undefined;
  reason: 'success' | 'retries-exhausted' | 'too-old';
}

/** What the node sends a destination (Lambda's invocation record). */
interface InvocationRecord {
  requestContext: { requestId: string; condition: 'Success' | 'RetriesExhausted' | 'EventAgeExceeded' };
  responsePayload?: unknown;
}

const REASONS = { Success: 'success', RetriesExhausted: 'retries-exhausted', EventAgeExceeded: 'too-old' } as const;

/**
 * The Lambda API of the node the product assembles (test/helpers/node.ts), called in process as a signed client
 * would. What the tests observe besides answers comes from the product too: function logs from the node's log
 * sink, Event outcomes from a destination queue, reservations from the invoker's limits.
 */
export class LambdaHarness {
  /** Final outcomes of Event invocations of functions made with createFunction, in the order they arrived. */
  readonly finals: Final[] = [];
  /** Every function log record the node writes from now on. */
  readonly logs: { records: NewLogRecord[] } = { records: [] };
  /** The largest request body each operation accepts, found by the model's routes as the service finds it. */
  readonly service: { bodyLimit(method: string, rawPath: string): number };
  private closed = false;
  private readonly draining: Promise<void>;

  private constructor(private readonly test: TestNode) {
    const router = new RestRouter(loadModel('lambda'));
    this.service = { bodyLimit: (method, rawPath) => requestLimit(router.match(method, rawPath, new URLSearchParams())?.operation) };
    test.node.logSink.listen((record) => this.logs.records.push(record));
    this.draining = this.drainFinals();
    // A failure surfaces in close(), not as an unhandled rejection meanwhile.
    this.draining.catch(() => undefined);
  }

  static async start(): Promise<LambdaHarness> {
    const test = await startTestNode();
    const created = await test.node.request({
      method: 'POST',
      path: '/',
      headers: { 'x-amz-target': 'AmazonSQS.CreateQueue', 'content-type': 'application/x-amz-json-1.0' },
      body: JSON.stringify({ QueueName: FINALS_QUEUE }),
    });
    if (created.status !== 200) throw new Error(`CreateQueue failed: ${created.status} ${created.text()}`);
    return new LambdaHarness(test);
  }

  /** Waits until the node's invoker applies every reservation the registry holds, as the node does on each change. */
  async settled(): Promise<void> {
    const { registry, invoker } = this.test.node;
    const pending = async (): Promise<string[]> => [...(await registry.listReservedConcurrency())].filter(([name, n]) => invoker.limits.reservedFor(name) !== n).map(([name]) => name);
    await expect.poll(pending).toEqual([]);
  }

  call(call: Call): Promise<Answer> {
    return callLambda(this.test.node, call);
  }

  /** CreateFunction with an echo handler; returns the response document. */
  async createFunction(name: string, extra: Record<string, unknown> = {}, zip = echoZip()): Promise<Record<string, unknown>> {
    const answer = await this.call({
      method: 'POST',
      path: '/2015-03-31/functions',
      body: { FunctionName: name, Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zipBase64(zip) }, ...extra },
    });
    if (answer.status !== 201) throw new Error(`CreateFunction failed: ${answer.status} ${answer.raw.toString()}`);
    const destinations = { OnSuccess: { Destination: FINALS_QUEUE_ARN }, OnFailure: { Destination: FINALS_QUEUE_ARN } };
    const configured = await this.call({ method: 'PUT', path: `/2019-09-25/functions/${encodeURIComponent(name)}/event-invoke-config`, body: { DestinationConfig: destinations } });
    if (configured.status !== 200) throw new Error(`PutFunctionEventInvokeConfig failed: ${configured.status} ${configured.raw.toString()}`);
    return answer.json();
  }

  invoke(name: string, payload: unknown, options: { query?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<Answer> {
    return this.call({ method: 'POST', path: `/2015-03-31/functions/${encodeURIComponent(name)}/invocations`, body: payload, ...options });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.test.close();
    await this.draining;
  }

  /** Moves the records the destination queue receives into `finals` until the harness closes. */
  private async drainFinals(): Promise<void> {
    const { queues } = this.test.node.data.sqs;
    while (!this.closed) {
      let received: Awaited<ReturnType<typeof queues.receive>>;
      try {
        received = await queues.receive(FINALS_QUEUE_ARN, { max: 10, waitMs: 1000 });
      } catch (error) {
        if (this.closed) return;
        throw error;
      }
      for (const message of received) {
        const record = JSON.parse(message.body) as InvocationRecord;
        const payload = record.responsePayload === undefined ? undefined : { payload: Buffer.from(JSON.stringify(record.responsePayload)) };
        this.finals.push({ event: { requestId: record.requestContext.requestId }, result: payload, reason: REASONS[record.requestContext.condition] });
        await queues.delete(FINALS_QUEUE_ARN, message.receiptHandle);
      }
    }
  }
}

function bodyOf(body: unknown): Buffer | undefined {
  if (body === undefined) return undefined;
  if (Buffer.isBuffer(body)) return body;
  return Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
}

/** Asserts a Lambda error response: status, x-amzn-ErrorType, request id, and the body as Lambda words it. */
export function errorOf(answer: Answer): { status: number; type: string | undefined; body: Record<string, unknown> } {
  return { status: answer.status, type: answer.headers['x-amzn-ErrorType'], body: answer.json() };
}

/** Sends one Lambda API call through a node's gateway in process, signed for the lambda service as the SDKs sign it. */
export async function callLambda(node: FlintNode, call: Call): Promise<Answer> {
  const query = new URLSearchParams(call.query ?? {}).toString();
  const response = await node.request({
    method: call.method,
    path: query === '' ? call.path : `${call.path}?${query}`,
    headers: { ...SIGNED, ...call.headers },
    body: call.bodyTooLarge ? Buffer.alloc(CODE_REQUEST_LIMIT + 1) : bodyOf(call.body),
    host: HOST,
  });
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.raw.headers ?? {})) headers[name] = typeof value === 'string' ? value : (value as readonly string[]).join(', ');
  const raw = response.body;
  return { status: response.status, headers, raw, json: () => JSON.parse(raw.toString('utf8')) as Record<string, unknown> };
}
