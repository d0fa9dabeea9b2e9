import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffered, FakeClock, RealClock, silentLogger, type Clock, type BufferedRequest, type BufferedResponse } from '../../../src/core/index.js';
import { SqsService } from '../../../src/services/sqs/index.js';
import { openSqliteStorage, type Storage } from '../../../src/storage/index.js';
import { startTestGateway } from '../../helpers/gateway.js';

export const ACCOUNT = '000000000000';
export const REGION = 'us-east-1';

/** Storage in a temp dir and an SqsService over it, called directly (no sockets). */
export interface SqsHarness {
  storage: Storage;
  service: SqsService;
  clock: FakeClock;
  dir: string;
  close(): Promise<void>;
}

export async function openHarness(): Promise<SqsHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'flint-sqs-'));
  const clock = new FakeClock();
  const storage = await openSqliteStorage({ dir, clock });
  const service = new SqsService(storage.messages, { region: REGION, accountId: ACCOUNT, clock, logger: silentLogger });
  return {
    storage,
    service,
    clock,
    dir,
    async close() {
      service.close();
      await storage.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A minimal node: real storage, the SQS service and the gateway on a free port. */
export interface SqsNode {
  url: string;
  service: SqsService;
  storage: Storage;
  close(): Promise<void>;
}

export async function startNode(clock: Clock = new RealClock()): Promise<SqsNode> {
  const dir = await mkdtemp(join(tmpdir(), 'flint-sqs-node-'));
  const storage = await openSqliteStorage({ dir, clock });
  const service = new SqsService(storage.messages, { region: REGION, accountId: ACCOUNT, clock, logger: silentLogger });
  const gateway = await startTestGateway({ sqs: buffered(service) }, clock);
  const { url } = gateway;
  return {
    url,
    service,
    storage,
    async close() {
      service.close();
      await gateway.close();
      await storage.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const BASE_URL = 'http://localhost:4566';

function request(init: Partial<BufferedRequest> & { body: Buffer; headers: BufferedRequest['headers'] }): BufferedRequest {
  return { method: 'POST', rawPath: '/', query: new URLSearchParams(), requestId: 'req-1', baseUrl: BASE_URL, sourceIp: '127.0.0.1', ...init };
}

export interface JsonAnswer {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** Calls an operation over the JSON 1.0 protocol, as SDK v3 does. */
export async function callJson(service: SqsService, operation: string, input: unknown): Promise<JsonAnswer> {
  const response = await service.handle(
    request({
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${operation}`, 'x-amzn-query-mode': 'true' },
      body: Buffer.from(JSON.stringify(input)),
    }),
  );
  return { status: response.status, headers: response.headers ?? {}, body: JSON.parse(text(response)) as Record<string, unknown> };
}

export interface QueryAnswer {
  status: number;
  headers: Record<string, string>;
  xml: string;
}

/** Calls an operation over the query protocol, as Debian's CLI and boto3 do. */
export async function callQuery(service: SqsService, params: Record<string, string>, rawPath = '/'): Promise<QueryAnswer> {
  const body = new URLSearchParams({ Version: '2012-11-05', ...params }).toString();
  const response = await service.handle(
    request({ rawPath, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: Buffer.from(body) }),
  );
  return { status: response.status, headers: response.headers ?? {}, xml: text(response) };
}

function text(response: BufferedResponse): string {
  return response.body === undefined ? '' : Buffer.from(response.body).toString('utf8');
}

export const queueUrlOf = (name: string): string => `${BASE_URL}/${ACCOUNT}/${name}`;
