import { DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flintUp, type RunningFlint } from '../../test/helpers/cli.js';

describe('example: idempotency under duplicate deliveries', () => {
  let flint: RunningFlint;
  let lambda: LambdaClient;
  let db: DynamoDBClient;
  const times = async (key: string) => Number((await db.send(new GetItemCommand({ TableName: 'Counters', Key: { id: { S: key } } }))).Item?.times?.N ?? 0);

  beforeAll(async () => {
    flint = await flintUp(import.meta.dirname, ['--no-watch']);
    const config = { endpoint: flint.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
    lambda = new LambdaClient(config);
    db = new DynamoDBClient(config);
  });
  afterAll(async () => {
    await flint?.stop();
  });

  it('charges once when the same event is delivered four times', async () => {
    const event = { id: 'evt-0001', orderId: 'order-7', amount: 42 };
    const payload = Buffer.from(JSON.stringify(event));
    // Three asynchronous deliveries (at least once) and one synchronous retry by a client.
    for (let i = 0; i < 3; i++) await lambda.send(new InvokeCommand({ FunctionName: 'charge', InvocationType: 'Event', Payload: payload }));
    const direct = await lambda.send(new InvokeCommand({ FunctionName: 'charge', Payload: payload }));
    expect(direct.FunctionError).toBeUndefined();
    await expect.poll(async () => (await db.send(new ScanCommand({ TableName: 'Charges' }))).Count, { timeout: 15_000 }).toBe(1);
    await expect.poll(() => flintLogsCount(flint, 'charge'), { timeout: 15_000 }).toBe(4);
    expect(await times('charge#order-7')).toBe(1);
  });

  it('returns the stored result to a repeated payload with Powertools idempotency', async () => {
    const payload = Buffer.from(JSON.stringify({ orderId: 'order-9', amount: 10 }));
    const first = JSON.parse(Buffer.from((await lambda.send(new InvokeCommand({ FunctionName: 'chargeWithPowertools', Payload: payload }))).Payload!).toString());
    const second = JSON.parse(Buffer.from((await lambda.send(new InvokeCommand({ FunctionName: 'chargeWithPowertools', Payload: payload }))).Payload!).toString());
    expect(first).toMatchObject({ orderId: 'order-9', amount: 10, paymentId: expect.any(String) });
    expect(second).toEqual(first);
    expect(await times('powertools#order-9')).toBe(1);
    const other = JSON.parse(Buffer.from((await lambda.send(new InvokeCommand({ FunctionName: 'chargeWithPowertools', Payload: Buffer.from(JSON.stringify({ orderId: 'order-10', amount: 1 })) }))).Payload!).toString());
    expect(other.paymentId).not.toBe(first.paymentId);
  });
});

/** Invocations of a function that finished, counted from its REPORT lines. */
async function flintLogsCount(flint: RunningFlint, fn: string): Promise<number> {
  const res = await fetch(`${flint.url}/_flint/logs/${fn}?limit=1000`);
  const { records } = (await res.json()) as { records: Array<{ message: string }> };
  return records.flatMap((r) => r.message.split('\n')).filter((line) => line.startsWith('REPORT')).length;
}
