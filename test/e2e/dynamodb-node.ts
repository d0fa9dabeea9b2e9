import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AWS_CLI, DEBIAN_PYTHON } from '../helpers/clients.js';
import { clientEnv, startTestNode, type TestNode } from '../helpers/node.js';

const run = promisify(execFile);

/** The node the product assembles, for DynamoDB client tests, with what Debian's CLI and boto3 need to reach it. */
export interface DynamoNode {
  url: string;
  dir: string;
  test: TestNode;
  /** Environment for Debian's AWS CLI and boto3: test credentials, us-east-1, a private HOME. */
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export async function startDynamoNode(): Promise<DynamoNode> {
  const test = await startTestNode();
  return {
    url: test.node.url,
    dir: test.dir,
    test,
    env: { ...clientEnv(test.node), HOME: test.dir },
    close: () => test.close(),
  };
}

/** Runs Debian's AWS CLI v2 against the node and parses its JSON output. */
export async function awsCli(node: DynamoNode, args: string[]): Promise<{ stdout: string; json: unknown }> {
  const { stdout } = await run(AWS_CLI, [...args, '--endpoint-url', node.url, '--output', 'json'], { env: node.env, timeout: 60_000 });
  return { stdout, json: stdout.trim() ? (JSON.parse(stdout) as unknown) : undefined };
}

/** Runs a script with Debian's python3 (boto3 1.26); `ENDPOINT` is set in its environment. */
export async function debianPython(node: DynamoNode, script: string): Promise<string> {
  const path = join(node.dir, `script-${Date.now()}-${Math.random().toString(16).slice(2)}.py`);
  await writeFile(path, script);
  const { stdout } = await run(DEBIAN_PYTHON, [path], { env: { ...node.env, ENDPOINT: node.url }, timeout: 60_000 });
  return stdout;
}
