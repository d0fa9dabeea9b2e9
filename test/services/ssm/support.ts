import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { AWS_CLI, DEBIAN_PYTHON } from '../../helpers/clients.js';
import { clientEnv, type TestNode } from '../../helpers/node.js';

/** What Parameter Store's and Secrets Manager's tests share: the error a call ends with, and the Debian clients. */
const execFileAsync = promisify(execFile);

export async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    const { name, message } = error as Error;
    return { name, message };
  }
  throw new Error('expected the call to fail');
}

/** Debian's AWS CLI 2.9 against the node (it ignores AWS_ENDPOINT_URL); the JSON it prints, {} for none. */
export async function awsCli(test: TestNode, args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await execFileAsync(AWS_CLI, [...args, '--endpoint-url', test.node.url, '--output', 'json'], { env: clientEnv(test.node) });
  return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>);
}

/** A script for Debian's boto3 1.26 with `client` bound to the node's `service`; what it prints. */
export async function boto3(test: TestNode, service: string, client: string, script: string): Promise<string> {
  const prelude = `import boto3, json\n${client} = boto3.client('${service}', endpoint_url='${test.node.url}')\n`;
  const { stdout } = await execFileAsync(DEBIAN_PYTHON, ['-c', prelude + script], { env: clientEnv(test.node) });
  return stdout.trim();
}
