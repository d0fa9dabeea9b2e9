import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buffered, RealClock, silentLogger } from '../../src/core/index.js';
import { DynamoDbService } from '../../src/services/dynamodb/index.js';
import { openSqliteStorage, type Storage } from '../../src/storage/index.js';
import { startTestGateway } from '../helpers/gateway.js';

const run = promisify(execFile);

/** A minimal node for client tests: storage in a temp dir, the DynamoDB service and the gateway on a free port. */
export interface DynamoNode {
  url: string;
  dir: string;
  service: DynamoDbService;
  storage: Storage;
  /** Environment for Debian's AWS CLI and boto3: test credentials, us-east-1, a private HOME. */
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export async function startDynamoNode(): Promise<DynamoNode> {
  const dir = await mkdtemp(join(tmpdir(), 'flint-dynamodb-node-'));
  const clock = new RealClock();
  const storage = await openSqliteStorage({ dir: join(dir, 'data'), clock });
  const service = new DynamoDbService(storage.tables, { region: 'us-east-1', accountId: '000000000000', clock, logger: silentLogger });
  const gateway = await startTestGateway({ dynamodb: buffered(service) }, clock);
  const { url } = gateway;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_PAGER: '',
  };
  return {
    url,
    dir,
    service,
    storage,
    env,
    async close() {
      await service.close();
      await gateway.close();
      await storage.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Runs Debian's AWS CLI v2 against the node and parses its JSON output. */
export async function awsCli(node: DynamoNode, args: string[]): Promise<{ stdout: string; json: unknown }> {
  const { stdout } = await run('/usr/bin/aws', [...args, '--endpoint-url', node.url, '--output', 'json'], { env: node.env, timeout: 60_000 });
  return { stdout, json: stdout.trim() ? (JSON.parse(stdout) as unknown) : undefined };
}

/** Runs a script with Debian's python3 (boto3 1.26); `ENDPOINT` is set in its environment. */
export async function debianPython(node: DynamoNode, script: string): Promise<string> {
  const path = join(node.dir, `script-${Date.now()}-${Math.random().toString(16).slice(2)}.py`);
  await writeFile(path, script);
  const { stdout } = await run('/usr/bin/python3', [path], { env: { ...node.env, ENDPOINT: node.url }, timeout: 60_000 });
  return stdout;
}
