import { DescribeRuleCommand, ListRulesCommand, ListTargetsByRuleCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/core/index.js';
import { ACCOUNT, EventBridgeHarness, REGION } from './harness.js';

/**
 * Rules with a schedule expression fire on the node's clock (a FakeClock here) and deliver the "Scheduled Event"
 * envelope (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html).
 */
describe('EventBridge scheduled rules', () => {
  let h: EventBridgeHarness;
  let clock: FakeClock;
  beforeEach(async () => {
    clock = new FakeClock(Date.UTC(2026, 0, 1), 5);
    h = await EventBridgeHarness.start({ clock });
  });
  afterEach(async () => {
    await h.close();
  });

  it('delivers the Scheduled Event to its targets at each firing', async () => {
    const fn = await h.deploy('tick');
    const { RuleArn } = await h.events.send(new PutRuleCommand({ Name: 'every-minute', ScheduleExpression: 'rate(1 minute)' }));
    await h.events.send(new PutTargetsCommand({ Rule: 'every-minute', Targets: [{ Id: 'fn', Arn: fn }] }));
    await clock.advance(60_000);
    await expect.poll(() => h.eventsOf('tick').length).toBe(1);
    expect(h.eventsOf('tick')[0]).toEqual({
      version: '0',
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: ACCOUNT,
      time: '2026-01-01T00:01:00Z',
      region: REGION,
      resources: [RuleArn],
      detail: {},
    });
    await clock.advance(60_000);
    await expect.poll(() => h.eventsOf('tick').length).toBe(2);
  });

  it('refuses schedules EventBridge refuses', async () => {
    // test_events_schedule.snapshot.json: tests_put_rule_with_invalid_schedule_cron, tests_put_rule_with_schedule_custom_event_bus.
    await expect(h.events.send(new PutRuleCommand({ Name: 'bad', ScheduleExpression: 'cron(INVALID)' }))).rejects.toMatchObject({ name: 'ValidationException', message: 'Parameter ScheduleExpression is not valid.' });
    await expect(h.events.send(new PutRuleCommand({ Name: 'neither' }))).rejects.toMatchObject({ name: 'ValidationException', message: 'Parameter(s) EventPattern or ScheduleExpression must be specified.' });
    const onBus = h.events.send(new PutRuleCommand({ Name: 'custom', EventBusName: 'default', ScheduleExpression: 'rate(5 minutes)', State: 'DISABLED' }));
    await expect(onBus).resolves.toMatchObject({ RuleArn: expect.stringContaining(':rule/custom') });
  });
});

describe("Flint's own schedules as EventBridge rules", () => {
  let h: EventBridgeHarness;
  beforeEach(async () => {
    h = await EventBridgeHarness.start();
  });
  afterEach(async () => {
    await h.close();
  });

  it('shows flint.yaml schedules as rules of the default bus, read-only through the API', async () => {
    const scheduler = h.testNode.node.events.scheduler;
    await scheduler.setSchedules('shop', [{ functionName: 'tick', expression: 'rate(5 minutes)' }]);
    await h.events.send(new PutRuleCommand({ Name: 'mine', EventPattern: '{"source": ["x"]}' }));

    expect((await h.events.send(new ListRulesCommand({}))).Rules!.map((r) => [r.Name, r.ScheduleExpression, r.ManagedBy])).toEqual([
      ['mine', undefined, undefined],
      ['shop-tick-schedule-1', 'rate(5 minutes)', 'flint'],
    ]);
    expect(await h.events.send(new DescribeRuleCommand({ Name: 'shop-tick-schedule-1' }))).toMatchObject({
      Arn: `arn:aws:events:${REGION}:${ACCOUNT}:rule/shop-tick-schedule-1`,
      State: 'ENABLED',
      EventBusName: 'default',
      ManagedBy: 'flint',
    });
    expect((await h.events.send(new ListTargetsByRuleCommand({ Rule: 'shop-tick-schedule-1' }))).Targets).toEqual([{ Id: 'tick', Arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:tick` }]);
    await expect(h.events.send(new PutRuleCommand({ Name: 'shop-tick-schedule-1', ScheduleExpression: 'rate(1 minute)' }))).rejects.toMatchObject({ name: 'ManagedRuleException' });

    await scheduler.setSchedules('shop', []);
    expect((await h.events.send(new ListRulesCommand({}))).Rules!.map((r) => r.Name)).toEqual(['mine']);
  });
});
