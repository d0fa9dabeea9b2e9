import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flintUp, type RunningFlint } from '../../test/helpers/cli.js';
import { AWS_CLI } from '../../test/helpers/clients.js';

// The function imports boto3, as Lambda's Python runtimes provide it: npm test installs Debian's python3-boto3, or
// provides it without root (scripts/test-tools.sh).
describe("example: users-api (the seed's Python + DynamoDB Web API, unchanged)", () => {
  let flint: RunningFlint;
  beforeAll(async () => {
    flint = await flintUp(import.meta.dirname, ['--no-watch']);
  });
  afterAll(async () => {
    await flint?.stop();
  });

  it('creates the Users table from flint.yaml', () => {
    expect(flint.output()).toContain('✓ table Users created');
  });

  it('stores a user through boto3 inside the function and answers as the handler says', async () => {
    const res = await fetch(`${flint.url}/users`, { method: 'POST', body: JSON.stringify({ name: 'Ada', email: 'ada@example.com' }) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { message: string; id: string };
    expect(body.message).toBe('Success');
    const db = new DynamoDBClient({ endpoint: flint.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const { Item } = await db.send(new GetItemCommand({ TableName: 'Users', Key: { id: { S: body.id } } }));
    expect(Item).toEqual({ id: { S: body.id }, name: { S: 'Ada' }, email: { S: 'ada@example.com' } });
  });

  it('answers 400 when a field is missing', async () => {
    const res = await fetch(`${flint.url}/users`, { method: 'POST', body: JSON.stringify({ name: 'Ada' }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ message: 'name and email are required' });
  });

  it('is readable with Debian boto3 and the AWS CLI from outside', () => {
    const home = mkdtempSync(join(tmpdir(), 'flint-cli-home-'));
    try {
      const env = { ...process.env, HOME: home, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1' };
      const scan = JSON.parse(execFileSync(AWS_CLI, ['dynamodb', 'scan', '--table-name', 'Users', '--endpoint-url', flint.url], { env, encoding: 'utf8' })) as { Count: number };
      expect(scan.Count).toBeGreaterThanOrEqual(1);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
