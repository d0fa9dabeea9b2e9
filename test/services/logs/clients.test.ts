import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_CLI, DEBIAN_PYTHON } from '../../helpers/clients.js';
import { clientEnv } from '../../helpers/node.js';
import { startLogsNode, type LogsNode } from './harness.js';

const run = promisify(execFile);

/** Debian's AWS CLI 2.9 and boto3 1.26 (botocore's JSON 1.1 client) against the node. */
describe("CloudWatch Logs with Debian's aws CLI and boto3", () => {
  let node: LogsNode;

  beforeAll(async () => {
    node = await startLogsNode();
  });
  afterAll(async () => {
    await node?.close();
  });

  const aws = async (...args: string[]): Promise<unknown> => {
    const { stdout } = await run(AWS_CLI, [...args, '--endpoint-url', node.test.node.url, '--output', 'json'], { env: clientEnv(node.test.node) });
    return stdout.trim() === '' ? undefined : JSON.parse(stdout);
  };

  it('aws logs: groups, streams, put-log-events, get-log-events, filter-log-events and an error', async () => {
    await aws('logs', 'create-log-group', '--log-group-name', 'cli/app', '--tags', 'team=core');
    await aws('logs', 'create-log-stream', '--log-group-name', 'cli/app', '--log-stream-name', 'main');
    const now = Date.now();
    const events = JSON.stringify([
      { timestamp: now - 2, message: 'first line' },
      { timestamp: now - 1, message: 'ERROR second line' },
    ]);
    const put = (await aws('logs', 'put-log-events', '--log-group-name', 'cli/app', '--log-stream-name', 'main', '--log-events', events)) as { nextSequenceToken: string };
    expect(put.nextSequenceToken).toMatch(/^\d{56}$/);
    const got = (await aws('logs', 'get-log-events', '--log-group-name', 'cli/app', '--log-stream-name', 'main', '--start-from-head')) as { events: Array<{ message: string }> };
    expect(got.events.map((e) => e.message)).toEqual(['first line', 'ERROR second line']);
    const filtered = (await aws('logs', 'filter-log-events', '--log-group-name', 'cli/app', '--filter-pattern', 'ERROR')) as { events: Array<{ message: string; logStreamName: string }> };
    expect(filtered.events).toMatchObject([{ message: 'ERROR second line', logStreamName: 'main' }]);
    const groups = (await aws('logs', 'describe-log-groups', '--log-group-name-prefix', 'cli/')) as { logGroups: Array<{ logGroupName: string; arn: string }> };
    expect(groups.logGroups).toMatchObject([{ logGroupName: 'cli/app', arn: 'arn:aws:logs:us-east-1:000000000000:log-group:cli/app:*' }]);
    const tags = (await aws('logs', 'list-tags-log-group', '--log-group-name', 'cli/app')) as { tags: Record<string, string> };
    expect(tags.tags).toEqual({ team: 'core' });
    const missing = await run(AWS_CLI, ['logs', 'describe-log-streams', '--log-group-name', 'cli/none', '--endpoint-url', node.test.node.url], { env: clientEnv(node.test.node) }).catch((e: { stderr: string }) => e);
    expect((missing as { stderr: string }).stderr).toContain('An error occurred (ResourceNotFoundException) when calling the DescribeLogStreams operation: The specified log group does not exist.');
  }, 120_000); // eight CLI processes, each a few seconds of Python start-up on a busy machine

  it('boto3: put_log_events, the filter_log_events paginator and a modelled error', async () => {
    const script = `
import json, sys, time, boto3
logs = boto3.client('logs', endpoint_url=sys.argv[1])
logs.create_log_group(logGroupName='py/app')
logs.create_log_stream(logGroupName='py/app', logStreamName='s')
now = int(time.time() * 1000)
logs.put_log_events(logGroupName='py/app', logStreamName='s', logEvents=[{'timestamp': now - 100 + i, 'message': json.dumps({'n': i})} for i in range(25)])
pages = logs.get_paginator('filter_log_events').paginate(logGroupName='py/app', filterPattern='{ $.n >= 10 }', PaginationConfig={'PageSize': 4})
found = [json.loads(e['message'])['n'] for page in pages for e in page['events']]
try:
    logs.get_log_events(logGroupName='py/app', logStreamName='absent')
    error = None
except logs.exceptions.ResourceNotFoundException as e:
    error = e.response['Error']
print(json.dumps({'found': found, 'error': error}))
`;
    const { stdout } = await run(DEBIAN_PYTHON, ['-c', script, node.test.node.url], { env: clientEnv(node.test.node) });
    const result = JSON.parse(stdout) as { found: number[]; error: { Code: string; Message: string } };
    expect(result.found).toEqual(Array.from({ length: 15 }, (_, i) => i + 10));
    expect(result.error).toEqual({ Code: 'ResourceNotFoundException', Message: 'The specified log stream does not exist.' });
  });
});
