import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock, FlintError, bufferBody, createLogger, responseBytes, type ServiceRequest } from '../../../src/core/index.js';
import { parseXml, type XmlElement } from '../../../src/protocol/index.js';
import { SnsService, type QueueMessageAttribute, type SnsLambdaEvent, type SnsTargets } from '../../../src/services/sns/index.js';
import { openSqliteStorage, type Storage } from '../../../src/storage/index.js';

export const REGION = 'us-east-1';
export const ACCOUNT = '000000000000';
export const BASE_URL = 'http://127.0.0.1:4566';

export const topicArnOf = (name: string): string => `arn:aws:sns:${REGION}:${ACCOUNT}:${name}`;
export const queueArnOf = (name: string): string => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;
export const functionArnOf = (name: string): string => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;

// ---- reading SNS responses with the kit's XML reader ------------------------------------------------------------

export type XmlNode = XmlElement;

export function child(node: XmlNode | undefined, ...path: string[]): XmlNode | undefined {
  let current = node;
  for (const name of path) current = current?.children.find((c) => c.name === name);
  return current;
}

export function textOf(node: XmlNode | undefined, ...path: string[]): string | undefined {
  return child(node, ...path)?.text;
}

/** `<Attributes><entry><key>…</key><value>…</value></entry>…` as a record. */
export function entryMap(node: XmlNode | undefined): Record<string, string> {
  const map: Record<string, string> = {};
  for (const entry of node?.children ?? []) map[textOf(entry, 'key') ?? ''] = textOf(entry, 'value') ?? '';
  return map;
}

/** `<member>…</member>` children as flat records of their leaf elements. */
export function memberList(node: XmlNode | undefined): Record<string, string>[] {
  return (node?.children ?? []).map((member) => Object.fromEntries(member.children.map((c) => [c.name, c.text])));
}

// ---- query parameters ------------------------------------------------------------------------------------------

export function mapParams(prefix: string, map: Record<string, string>): Record<string, string> {
  const params: Record<string, string> = {};
  Object.entries(map).forEach(([key, value], i) => {
    params[`${prefix}.entry.${i + 1}.key`] = key;
    params[`${prefix}.entry.${i + 1}.value`] = value;
  });
  return params;
}

export interface AttributeParam {
  DataType?: string;
  StringValue?: string;
  BinaryValue?: string;
}

export function messageAttributeParams(prefix: string, attributes: Record<string, AttributeParam>): Record<string, string> {
  const params: Record<string, string> = {};
  Object.entries(attributes).forEach(([name, value], i) => {
    const at = `${prefix}.entry.${i + 1}`;
    params[`${at}.Name`] = name;
    for (const [field, fieldValue] of Object.entries(value)) if (fieldValue !== undefined) params[`${at}.Value.${field}`] = fieldValue;
  });
  return params;
}

// ---- recorders for the lambda and sqs protocols, and an HTTP endpoint -----------------------------------------

export interface QueueDelivery {
  queueArn: string;
  body: string;
  attributes?: Record<string, QueueMessageAttribute>;
  fifo?: { messageGroupId: string; messageDeduplicationId: string };
}

export class TargetRecorder implements SnsTargets {
  readonly invocations: { functionArn: string; event: SnsLambdaEvent }[] = [];
  readonly messages: QueueDelivery[] = [];
  /** Attempts per endpoint ARN, failed ones included. */
  readonly attempts = new Map<string, number>();
  /** Endpoints that fail, with the error to throw. */
  readonly failing = new Map<string, () => Error>();

  async invokeFunction(functionArn: string, event: SnsLambdaEvent): Promise<void> {
    this.attempt(functionArn);
    this.invocations.push({ functionArn, event: structuredClone(event) });
  }

  async sendToQueue(queueArn: string, body: string, attributes?: Record<string, QueueMessageAttribute>, fifo?: QueueDelivery['fifo']): Promise<void> {
    this.attempt(queueArn);
    this.messages.push({ queueArn, body, attributes, fifo });
  }

  private attempt(arn: string): void {
    this.attempts.set(arn, (this.attempts.get(arn) ?? 0) + 1);
    const failure = this.failing.get(arn);
    if (failure) throw failure();
  }

  failWith(arn: string, error: () => Error = () => new Error('endpoint unavailable')): void {
    this.failing.set(arn, error);
  }

  gone(arn: string): void {
    this.failing.set(arn, () => new FlintError('NOT_FOUND', `no such endpoint ${arn}`));
  }
}

export interface HttpHit {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP server on 127.0.0.1 that records what SNS POSTs; paths starting /fail answer 500. */
export class HttpEndpoint {
  readonly hits: HttpHit[] = [];
  private readonly server: Server;
  url = '';

  private constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.hits.push({ path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(req.url?.startsWith('/fail') ? 500 : 200).end();
      });
    });
  }

  static async start(): Promise<HttpEndpoint> {
    const endpoint = new HttpEndpoint();
    await new Promise<void>((resolve) => endpoint.server.listen(0, '127.0.0.1', resolve));
    endpoint.url = `http://127.0.0.1:${(endpoint.server.address() as AddressInfo).port}`;
    return endpoint;
  }

  hitsTo(path: string): HttpHit[] {
    return this.hits.filter((hit) => hit.path === path);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

// ---- the harness ------------------------------------------------------------------------------------------------

export interface Reply {
  status: number;
  body: string;
  xml: XmlNode;
  /** The `<ActionResult>` element. */
  result?: XmlNode;
  error?: { type: string; code: string; message: string };
}

export class SnsHarness {
  readonly logs: string[] = [];
  service!: SnsService;

  private constructor(
    readonly dir: string,
    readonly clock: FakeClock,
    public storage: Storage,
    readonly targets: TargetRecorder,
  ) {}

  /** `start: false` leaves the dispatcher stopped, so accepted deliveries stay in the queue. */
  static async start(options: { start?: boolean } = {}): Promise<SnsHarness> {
    const dir = mkdtempSync(join(tmpdir(), 'flint-sns-'));
    const clock = new FakeClock();
    const storage = await openSqliteStorage({ dir, clock });
    const harness = new SnsHarness(dir, clock, storage, new TargetRecorder());
    harness.service = harness.newService();
    if (options.start !== false) harness.service.start();
    return harness;
  }

  private newService(): SnsService {
    const logger = createLogger({ level: 'debug', write: (line) => this.logs.push(line), now: () => this.clock.now() });
    return new SnsService(this.storage, { region: REGION, accountId: ACCOUNT, clock: this.clock, logger, targets: this.targets, baseUrl: BASE_URL });
  }

  /** Closes the service and storage and opens both again on the same data directory. */
  async restart(): Promise<void> {
    await this.service.close();
    await this.storage.close();
    this.storage = await openSqliteStorage({ dir: this.dir, clock: this.clock });
    this.service = this.newService();
    this.service.start();
  }

  async call(action: string, params: Record<string, string> = {}, options: { signed?: boolean; method?: string } = {}): Promise<Reply> {
    const form = new URLSearchParams({ Action: action, Version: '2010-03-31', ...params });
    const get = options.method === 'GET';
    const headers: Record<string, string> = { host: '127.0.0.1:4566' };
    if (options.signed !== false) headers.authorization = `AWS4-HMAC-SHA256 Credential=test/20260101/${REGION}/sns/aws4_request, SignedHeaders=host, Signature=0`;
    if (!get) headers['content-type'] = 'application/x-www-form-urlencoded; charset=utf-8';
    const request: ServiceRequest = {
      method: options.method ?? 'POST',
      rawPath: '/',
      query: get ? form : new URLSearchParams(),
      headers,
      rawHeaders: Object.entries(headers).flat(),
      body: bufferBody(get ? undefined : form.toString()),
      requestId: 'req-1',
      host: '127.0.0.1:4566',
      baseUrl: BASE_URL,
      sourceIp: '127.0.0.1',
    };
    const response = await this.service.handle(request);
    const body = (await responseBytes(response.body)).toString('utf8');
    const xml = parseXml(body);
    const reply: Reply = { status: response.status, body, xml, result: child(xml, `${action}Result`) };
    if (xml.name === 'ErrorResponse') reply.error = { type: textOf(xml, 'Error', 'Type')!, code: textOf(xml, 'Error', 'Code')!, message: textOf(xml, 'Error', 'Message')! };
    return reply;
  }

  /** Calls and expects success; returns the result element. */
  async ok(action: string, params: Record<string, string> = {}, options: { signed?: boolean } = {}): Promise<XmlNode | undefined> {
    const reply = await this.call(action, params, options);
    if (reply.error) throw new Error(`${action} failed: ${reply.error.code}: ${reply.error.message}`);
    return reply.result;
  }

  async createTopic(name: string, attributes: Record<string, string> = {}): Promise<string> {
    return textOf(await this.ok('CreateTopic', { Name: name, ...mapParams('Attributes', attributes) }), 'TopicArn')!;
  }

  async subscribe(topicArn: string, protocol: string, endpoint: string, attributes: Record<string, string> = {}): Promise<string> {
    const result = await this.ok('Subscribe', { TopicArn: topicArn, Protocol: protocol, Endpoint: endpoint, ReturnSubscriptionArn: 'true', ...mapParams('Attributes', attributes) });
    return textOf(result, 'SubscriptionArn')!;
  }

  async publish(topicArn: string, message: string, extra: Record<string, string> = {}): Promise<string> {
    return textOf(await this.ok('Publish', { TopicArn: topicArn, Message: message, ...extra }), 'MessageId')!;
  }

  async close(): Promise<void> {
    await this.service.close();
    await this.storage.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
