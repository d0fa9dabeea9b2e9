import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { AWS_CLI, DEBIAN_PYTHON } from '../../helpers/clients.js';
import { startTestNode, type TestNode } from '../../helpers/node.js';

/** The node the product assembles, with the clients Lambda's API tests drive: SDK v3, Debian's aws CLI and boto3. */

const execFileAsync = promisify(execFile);
export const ACCOUNT = '000000000000';
export const REGION = 'us-east-1';

export function fnArn(name: string, qualifier?: string, region = REGION): string {
  return `arn:aws:lambda:${region}:${ACCOUNT}:function:${name}${qualifier === undefined ? '' : `:${qualifier}`}`;
}

/** How an SDK v3 call was refused: the exception's name, HTTP status and message. */
export interface Refusal {
  name: string | undefined;
  status: number | undefined;
  message: string;
}

export async function refusal(promise: Promise<unknown>): Promise<Refusal> {
  try {
    await promise;
  } catch (error) {
    const failed = error as { name?: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: failed.name, status: failed.$metadata?.httpStatusCode, message: failed.message };
  }
  throw new Error('expected the call to be refused');
}

export interface ClientNode {
  test: TestNode;
  lambda: LambdaClient;
  /** A HOME for the CLI and boto3, removed on close. */
  home: string;
  /** `aws lambda <args>` against the node; stdout, or the error with its stderr. */
  aws(...args: string[]): Promise<string>;
  /** A Python script run by Debian's python3 (boto3 1.26) with the node's URL as sys.argv[1]; its stdout. */
  boto(script: string, ...args: string[]): Promise<string>;
  close(): Promise<void>;
}

export async function startClientNode(): Promise<ClientNode> {
  const test = await startTestNode();
  const lambda = new LambdaClient(test.config);
  const home = mkdtempSync(join(tmpdir(), 'flint-lambda-clients-'));
  const env = { PATH: '/usr/bin:/bin', HOME: home, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: REGION, AWS_PAGER: '' };
  return {
    test,
    lambda,
    home,
    aws: async (...args) => (await execFileAsync(AWS_CLI, ['lambda', ...args, '--endpoint-url', test.node.url, '--output', 'json'], { env, cwd: home })).stdout,
    boto: async (script, ...args) => (await execFileAsync(DEBIAN_PYTHON, ['-c', script, test.node.url, ...args], { env: { PATH: '/usr/bin:/bin', HOME: home } })).stdout,
    close: async () => {
      lambda.destroy();
      await test.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
