import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_CLI, DEBIAN_PYTHON } from '../../helpers/clients.js';
import { clientEnv } from '../../helpers/node.js';
import { EventBridgeHarness } from './harness.js';

/**
 * EventBridge through Debian's AWS CLI 2.9 and boto3 1.26 (JSON 1.1, `AWSEvents.*` targets): a rule that routes a
 * custom event to a function and a queue, TestEventPattern, and EventBridge's error for an invalid pattern.
 */
const execFileAsync = promisify(execFile);
const PATTERN = JSON.stringify({ source: ['cli.app'], detail: { kind: [{ prefix: 'sign' }] } });

let h: EventBridgeHarness;
let fn: string;
let queue: string;

beforeAll(async () => {
  h = await EventBridgeHarness.start();
  fn = await h.deploy('cli-target');
  queue = await h.queue('cli-events');
});
afterAll(async () => {
  await h.close();
});

async function aws(...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await execFileAsync(AWS_CLI, ['events', ...args, '--endpoint-url', h.url, '--output', 'json'], { env: clientEnv(h.testNode.node) });
  return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>);
}

async function python(script: string): Promise<string> {
  const prelude = `import boto3, json\nevents = boto3.client('events', endpoint_url='${h.url}')\n`;
  const { stdout } = await execFileAsync(DEBIAN_PYTHON, ['-c', prelude + script], { env: clientEnv(h.testNode.node) });
  return stdout.trim();
}

describe('EventBridge with the AWS CLI', () => {
  it('puts a rule with a function and a queue as targets, and routes put-events to both', async () => {
    expect(await aws('put-rule', '--name', 'cli-rule', '--event-pattern', PATTERN)).toMatchObject({ RuleArn: expect.stringContaining(':rule/cli-rule') });
    expect(await aws('put-targets', '--rule', 'cli-rule', '--targets', `Id=fn,Arn=${fn}`, `Id=q,Arn=${queue}`)).toEqual({ FailedEntryCount: 0, FailedEntries: [] });
    const entries = JSON.stringify([{ Source: 'cli.app', DetailType: 'User', Detail: JSON.stringify({ kind: 'signup', user: 'u1' }) }]);
    const put = await aws('put-events', '--entries', entries);
    expect(put).toMatchObject({ FailedEntryCount: 0, Entries: [{ EventId: expect.any(String) }] });
    await expect.poll(() => h.eventsOf('cli-target').length).toBe(1);
    expect(h.eventsOf('cli-target')[0]).toMatchObject({ source: 'cli.app', 'detail-type': 'User', detail: { kind: 'signup', user: 'u1' } });
    await expect.poll(async () => (await h.receive('cli-events')).length).toBe(1);
    expect((await aws('list-targets-by-rule', '--rule', 'cli-rule')).Targets).toEqual([{ Id: 'fn', Arn: fn }, { Id: 'q', Arn: queue }]);
  });

  it('tests an event pattern and refuses an invalid one in EventBridge words', async () => {
    const event = JSON.stringify({ id: '1', account: '000000000000', source: 'cli.app', time: '2026-01-01T00:00:00Z', region: 'us-east-1', 'detail-type': 'x', detail: { kind: 'signin' } });
    expect(await aws('test-event-pattern', '--event-pattern', PATTERN, '--event', event)).toEqual({ Result: true });
    const failure = await aws('test-event-pattern', '--event-pattern', '{"a": 1}', '--event', event).catch((error: { stderr: string }) => error.stderr);
    // test_events_patterns.snapshot.json: test_event_pattern[int_nolist_EXC].
    expect(failure).toContain('An error occurred (InvalidEventPatternException) when calling the TestEventPattern operation: Event pattern is not valid. Reason: "a" must be an object or an array');
  });
});

describe('EventBridge with boto3', () => {
  it('routes put_events through a rule to a queue, and lists rules and buses', async () => {
    const out = await python(`
events.put_rule(Name='boto-rule', EventPattern=json.dumps({'detail-type': ['Boto']}))
events.put_targets(Rule='boto-rule', Targets=[{'Id': 'q', 'Arn': '${queue}', 'InputPath': '$.detail'}])
put = events.put_events(Entries=[{'Source': 'boto.app', 'DetailType': 'Boto', 'Detail': json.dumps({'n': 7})}])
rules = events.list_rules(NamePrefix='boto')['Rules']
buses = events.list_event_buses()['EventBuses']
print(json.dumps({'failed': put['FailedEntryCount'], 'rules': [r['Name'] for r in rules], 'buses': [b['Name'] for b in buses]}))
`);
    expect(JSON.parse(out)).toEqual({ failed: 0, rules: ['boto-rule'], buses: ['default'] });
    await expect.poll(async () => (await h.receive('cli-events')).map((m) => m.Body)).toContain('{"n":7}');
    const missing = await python(`
try:
    events.describe_rule(Name='nope')
except events.exceptions.ResourceNotFoundException as e:
    print(e.response['Error']['Message'])
`);
    expect(missing).toBe('Rule nope does not exist on EventBus default.');
  });
});
