import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect } from 'vitest';
import { bufferBody, FakeClock, responseBytes, silentLogger } from '../../../src/core/index.js';
import { DynamoDbService } from '../../../src/services/dynamodb/index.js';
import { openSqliteStorage, type Storage } from '../../../src/storage/index.js';

/** A JSON response body, as clients see it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are free-form JSON in assertions
export type Json = any;

export interface DynamoHarness {
  readonly service: DynamoDbService;
  readonly storage: Storage;
  readonly clock: FakeClock;
  /** Sends one operation (DynamoDB_20120810.<op>, or a full target) and returns status and parsed body. */
  call(op: string, input: unknown): Promise<{ status: number; body: Json; headers: Record<string, string> }>;
  /** Sends an operation that must succeed. */
  ok(op: string, input: unknown): Promise<Json>;
  /** Sends an operation that must fail; returns the error type (after '#') and message. */
  fail(op: string, input: unknown): Promise<{ type: string; message: string; body: Json }>;
  /** Creates a table with a string hash key `pk` and, if asked, a sort key `sk` of the given type. */
  table(name: string, options?: { sk?: 'S' | 'N' | 'B'; extra?: Record<string, unknown> }): Promise<Json>;
}

/** Registers beforeEach/afterEach: a fresh SQLite storage and service per test, driven by a FakeClock. */
export function useDynamo(): DynamoHarness {
  let dir = '';
  let storage: Storage | undefined;
  let service: DynamoDbService | undefined;
  let clock = new FakeClock();
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flint-dynamodb-'));
    clock = new FakeClock();
    storage = await openSqliteStorage({ dir, clock });
    service = new DynamoDbService(storage.tables, { region: 'us-east-1', accountId: '000000000000', clock, logger: silentLogger, transfers: { objects: storage.objects, metadata: storage.metadata } });
  });
  afterEach(async () => {
    await service?.close();
    await storage?.close();
    await rm(dir, { recursive: true, force: true });
  });
  const call: DynamoHarness['call'] = async (op, input) => {
    const target = op.includes('.') ? op : `DynamoDB_20120810.${op}`;
    const headers = { host: '127.0.0.1:4566', 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.0' };
    const response = await service!.handle({
      method: 'POST',
      rawPath: '/',
      query: new URLSearchParams(),
      headers,
      rawHeaders: Object.entries(headers).flat(),
      body: bufferBody(typeof input === 'string' ? input : JSON.stringify(input)),
      requestId: 'req-1',
      host: '127.0.0.1:4566',
      baseUrl: 'http://127.0.0.1:4566',
      sourceIp: '127.0.0.1',
    });
    const text = (await responseBytes(response.body)).toString('utf8');
    const flat = Object.fromEntries(Object.entries(response.headers ?? {}).map(([name, value]) => [name, typeof value === 'string' ? value : value.join(', ')]));
    return { status: response.status, body: JSON.parse(text) as Json, headers: flat };
  };
  const harness: DynamoHarness = {
    get service() {
      return service!;
    },
    get storage() {
      return storage!;
    },
    get clock() {
      return clock;
    },
    call,
    async ok(op, input) {
      const { status, body } = await call(op, input);
      expect(body, `${op} failed: ${JSON.stringify(body)}`).not.toHaveProperty('__type');
      expect(status).toBe(200);
      return body;
    },
    async fail(op, input) {
      const { status, body } = await call(op, input);
      expect(status, `${op} should fail: ${JSON.stringify(body)}`).toBe(400);
      const type = String(body.__type).split('#')[1] ?? '';
      return { type, message: String(body.message ?? body.Message), body };
    },
    async table(name, options = {}) {
      const attributes = [{ AttributeName: 'pk', AttributeType: 'S' }];
      const keys = [{ AttributeName: 'pk', KeyType: 'HASH' }];
      if (options.sk) {
        attributes.push({ AttributeName: 'sk', AttributeType: options.sk });
        keys.push({ AttributeName: 'sk', KeyType: 'RANGE' });
      }
      return harness.ok('CreateTable', { TableName: name, AttributeDefinitions: attributes, KeySchema: keys, BillingMode: 'PAY_PER_REQUEST', ...options.extra });
    },
  };
  return harness;
}

/** Asserts a ValidationException with exactly this message. */
export async function expectValidation(harness: DynamoHarness, op: string, input: unknown, message: string): Promise<void> {
  const error = await harness.fail(op, input);
  expect(error).toMatchObject({ type: 'ValidationException', message });
}
