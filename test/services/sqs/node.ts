import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bufferBody, FakeClock, responseBytes, silentLogger, type RequestBody, type ServiceRequest, type ServiceResponse } from '../../../src/core/index.js';
import { SqsService } from '../../../src/services/sqs/index.js';
import { openSqliteStorage, type Storage } from '../../../src/storage/index.js';

export const ACCOUNT = '000000000000';
export const REGION = 'us-east-1';

/**
 * Storage in a temp dir and an SqsService over it on a FakeClock, called in process through its one seam
 * (`handle(request)`), as the gateway calls it. Client tests use the node the product assembles instead
 * (test/helpers/node.ts).
 */
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

const BASE_URL = 'http://localhost:4566';

export interface RequestInit {
  method?: string;
  rawPath?: string;
  query?: URLSearchParams;
  headers: Record<string, string>;
  body: string | Buffer;
  /** The body is larger than any limit: reading it whole answers nothing, as the seam does for an oversized body. */
  bodyTooLarge?: boolean;
}

/** A request as the gateway hands it to the service, from a client at BASE_URL, with request id req-1. */
export function sqsRequest(init: RequestInit): ServiceRequest {
  const body = init.bodyTooLarge ? oversized() : bufferBody(init.body);
  return {
    method: init.method ?? 'POST',
    rawPath: init.rawPath ?? '/',
    query: init.query ?? new URLSearchParams(),
    headers: init.headers,
    rawHeaders: Object.entries(init.headers).flat(),
    body,
    requestId: 'req-1',
    host: new URL(BASE_URL).host,
    baseUrl: BASE_URL,
    sourceIp: '127.0.0.1',
  };
}

function oversized(): RequestBody {
  return {
    length: undefined,
    read: async () => undefined,
    async *[Symbol.asyncIterator]() {},
  };
}

export interface JsonAnswer {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** Calls an operation over the JSON 1.0 protocol, as SDK v3 does. */
export async function callJson(service: SqsService, operation: string, input: unknown): Promise<JsonAnswer> {
  const response = await service.handle(
    sqsRequest({
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${operation}`, 'x-amzn-query-mode': 'true' },
      body: JSON.stringify(input),
    }),
  );
  return { status: response.status, headers: headersOf(response), body: JSON.parse(await text(response)) as Record<string, unknown> };
}

export interface QueryAnswer {
  status: number;
  headers: Record<string, string>;
  xml: string;
}

/** Calls an operation over the query protocol, as Debian's CLI and boto3 do. */
export async function callQuery(service: SqsService, params: Record<string, string>, rawPath = '/'): Promise<QueryAnswer> {
  const body = new URLSearchParams({ Version: '2012-11-05', ...params }).toString();
  const response = await service.handle(sqsRequest({ rawPath, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body }));
  return { status: response.status, headers: headersOf(response), xml: await text(response) };
}

export async function text(response: ServiceResponse): Promise<string> {
  return (await responseBytes(response.body)).toString('utf8');
}

export function headersOf(response: ServiceResponse): Record<string, string> {
  return Object.fromEntries(Object.entries(response.headers ?? {}).map(([name, value]) => [name, typeof value === 'string' ? value : value.join(', ')]));
}

export const queueUrlOf = (name: string): string => `${BASE_URL}/${ACCOUNT}/${name}`;
