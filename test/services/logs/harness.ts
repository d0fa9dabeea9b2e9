import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { createZip } from '../../../src/functions/index.js';
import { startTestNode, type TestNode } from '../../helpers/node.js';

export const REGION = 'us-east-1';
export const ACCOUNT = '000000000000';
const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';

/** A node with SDK v3 clients for CloudWatch Logs and Lambda. */
export interface LogsNode {
  test: TestNode;
  logs: CloudWatchLogsClient;
  lambda: LambdaClient;
  close(): Promise<void>;
}

export async function startLogsNode(options: Parameters<typeof startTestNode>[0] = {}): Promise<LogsNode> {
  const test = await startTestNode(options);
  const logs = new CloudWatchLogsClient({ ...test.config, maxAttempts: 1 });
  const lambda = new LambdaClient({ ...test.config, maxAttempts: 1 });
  return {
    test,
    logs,
    lambda,
    close: async () => {
      logs.destroy();
      lambda.destroy();
      await test.close();
    },
  };
}

/**
 * A Node.js function that logs `hello <name>` with console.log (Lambda's runtime prefixes time, request id and level)
 * and a bare JSON line `{"level":..,"user":..,"latency":..}` on stdout, as structured loggers write them.
 */
export const LOGGING_HANDLER = `
exports.handler = async (event) => {
  console.log('hello ' + event.name);
  process.stdout.write(JSON.stringify({ level: event.level ?? 'info', user: event.name, latency: event.latency ?? 0 }) + '\\n');
  return { ok: true };
};`;

export async function deployFunction(node: LogsNode, name: string, source = LOGGING_HANDLER): Promise<void> {
  const zip = createZip([{ path: 'index.js', data: Buffer.from(source), mode: 0o644 }]);
  await node.lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zip } }));
}

/** Invokes and waits until the invocation's log lines are stored. */
export async function invoke(node: LogsNode, name: string, event: Record<string, unknown>): Promise<void> {
  const answer = await node.lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)) }));
  if (answer.FunctionError) throw new Error(`invocation failed: ${Buffer.from(answer.Payload ?? []).toString()}`);
  await node.test.node.logSink.flush();
}

export async function refusal(promise: Promise<unknown>): Promise<{ name?: string; message?: string; status?: number }> {
  const error = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  if (!error) throw new Error('expected a refusal');
  return { name: error.name, message: error.message, status: error.$metadata?.httpStatusCode };
}
