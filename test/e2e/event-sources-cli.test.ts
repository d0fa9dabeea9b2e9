import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZip } from '../../src/functions/index.js';
import { startEventSourcesNode, type EventSourcesNode } from './event-sources-node.js';
import { AWS_CLI } from '../helpers/clients.js';

/** Debian's AWS CLI 2.9 ignores AWS_ENDPOINT_URL; every call names the node with --endpoint-url. */
const execFileAsync = promisify(execFile);
const HANDLER = `
exports.handler = async (event) => {
  console.log('EVENT ' + JSON.stringify(event));
  if (event.fail) throw new Error('failing on purpose');
  return {};
};
`;

describe("event sources and destinations with Debian's AWS CLI v2", () => {
  let node: EventSourcesNode;

  beforeAll(async () => {
    node = await startEventSourcesNode();
    writeFileSync(join(node.env.HOME!, 'function.zip'), createZip([{ path: 'index.js', data: Buffer.from(HANDLER), mode: 0o644 }]));
  });
  afterAll(async () => {
    await node?.close();
  });

  const aws = async (...args: string[]): Promise<Record<string, unknown>> => {
    const { stdout } = await execFileAsync(AWS_CLI, [...args, '--endpoint-url', node.url, '--output', 'json'], { env: node.env, cwd: node.env.HOME });
    return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>);
  };
  const failure = (...args: string[]) =>
    execFileAsync(AWS_CLI, [...args, '--endpoint-url', node.url], { env: node.env, cwd: node.env.HOME }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );

  it('creates, lists, updates and deletes an SQS event source mapping that delivers messages', async () => {
    await aws('lambda', 'create-function', '--function-name', 'cli-worker', '--runtime', 'nodejs20.x', '--role', 'arn:aws:iam::000000000000:role/r', '--handler', 'index.handler', '--zip-file', 'fileb://function.zip');
    const { QueueUrl } = (await aws('sqs', 'create-queue', '--queue-name', 'cli-jobs')) as { QueueUrl: string };
    const queueArn = 'arn:aws:sqs:us-east-1:000000000000:cli-jobs';
    const created = await aws('lambda', 'create-event-source-mapping', '--function-name', 'cli-worker', '--event-source-arn', queueArn, '--batch-size', '5');
    expect(created).toMatchObject({ State: 'Creating', BatchSize: 5, EventSourceArn: queueArn, FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:cli-worker', MaximumBatchingWindowInSeconds: 0 });
    expect(typeof created.LastModified).toBe('string');

    await aws('sqs', 'send-message', '--queue-url', QueueUrl, '--message-body', 'hello from the cli');
    await expect.poll(() => node.logs.messages().some((m) => m.includes('hello from the cli'))).toBe(true);

    const listed = (await aws('lambda', 'list-event-source-mappings', '--function-name', 'cli-worker')) as { EventSourceMappings: { UUID: string; State: string }[] };
    expect(listed.EventSourceMappings).toEqual([expect.objectContaining({ UUID: created.UUID, State: 'Enabled' })]);
    const updated = await aws('lambda', 'update-event-source-mapping', '--uuid', String(created.UUID), '--batch-size', '50', '--maximum-batching-window-in-seconds', '2');
    expect(updated).toMatchObject({ State: 'Updating', BatchSize: 50, MaximumBatchingWindowInSeconds: 2 });
    expect(await aws('lambda', 'delete-event-source-mapping', '--uuid', String(created.UUID))).toMatchObject({ State: 'Deleting' });

    const missing = await failure('lambda', 'get-event-source-mapping', '--uuid', String(created.UUID));
    expect(missing.code).toBe(254);
    expect(missing.stderr).toContain('(ResourceNotFoundException) when calling the GetEventSourceMapping operation: The resource you requested does not exist.');
    const refused = await failure('lambda', 'create-event-source-mapping', '--function-name', 'cli-worker', '--event-source-arn', queueArn, '--batch-size', '50');
    expect(refused.stderr).toContain('(InvalidParameterValueException) when calling the CreateEventSourceMapping operation: Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10');
  });

  it('configures an OnFailure destination that receives the invocation record', async () => {
    await aws('lambda', 'create-function', '--function-name', 'cli-async', '--runtime', 'nodejs20.x', '--role', 'arn:aws:iam::000000000000:role/r', '--handler', 'index.handler', '--zip-file', 'fileb://function.zip');
    const { QueueUrl } = (await aws('sqs', 'create-queue', '--queue-name', 'cli-failures')) as { QueueUrl: string };
    const put = await aws(
      'lambda',
      'put-function-event-invoke-config',
      '--function-name',
      'cli-async',
      '--maximum-retry-attempts',
      '0',
      '--destination-config',
      '{"OnFailure":{"Destination":"arn:aws:sqs:us-east-1:000000000000:cli-failures"}}',
    );
    expect(put).toMatchObject({ FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:cli-async:$LATEST', MaximumRetryAttempts: 0 });
    await aws('lambda', 'invoke', '--function-name', 'cli-async', '--invocation-type', 'Event', '--cli-binary-format', 'raw-in-base64-out', '--payload', '{"fail":true}', 'out.json');
    const received = (await aws('sqs', 'receive-message', '--queue-url', QueueUrl, '--wait-time-seconds', '20')) as { Messages: { Body: string }[] };
    expect(JSON.parse(received.Messages[0]!.Body)).toMatchObject({ requestContext: { condition: 'RetriesExhausted' }, requestPayload: { fail: true } });
    const listed = (await aws('lambda', 'list-function-event-invoke-configs', '--function-name', 'cli-async')) as { FunctionEventInvokeConfigs: unknown[] };
    expect(listed.FunctionEventInvokeConfigs).toHaveLength(1);
  });
});
