import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  InvalidEventPatternException,
  LimitExceededException,
  ListEventBusesCommand,
  ListRuleNamesByTargetCommand,
  ListRulesCommand,
  ListTagsForResourceCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  TagResourceCommand,
  TestEventPatternCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-eventbridge';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, EventBridgeHarness, functionArn, REGION } from './harness.js';

/**
 * EventBridge through the SDK v3 EventBridgeClient against the node the product assembles. Expected answers are
 * AWS's as LocalStack recorded them (tests/aws/services/events/*.snapshot.json), named by test beside each check.
 */
const PATTERN = JSON.stringify({ source: ['orders'], 'detail-type': ['OrderPlaced'] });
const DETAIL = { orderId: 'o-1', total: 42, items: ['a', 'b'] };
const ENVELOPE_KEYS = ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail'];

async function rejection(promise: Promise<unknown>): Promise<Error & { name: string; $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { name: string };
  }
  throw new Error('expected the call to fail');
}

describe('EventBridge rules and targets', () => {
  let h: EventBridgeHarness;
  beforeEach(async () => {
    h = await EventBridgeHarness.start();
  });
  afterEach(async () => {
    await h.close();
  });

  it('routes a custom event to a function and to a queue, each getting the envelope as EventBridge delivers it', async () => {
    const fn = await h.deploy('on-order');
    const queue = await h.queue('orders');
    const { RuleArn } = await h.events.send(new PutRuleCommand({ Name: 'orders', EventPattern: PATTERN }));
    expect(RuleArn).toBe(`arn:aws:events:${REGION}:${ACCOUNT}:rule/orders`);
    const targets = await h.events.send(new PutTargetsCommand({ Rule: 'orders', Targets: [{ Id: 'fn', Arn: fn }, { Id: 'queue', Arn: queue }] }));
    expect(targets).toMatchObject({ FailedEntryCount: 0, FailedEntries: [] });

    const put = await h.events.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'orders', DetailType: 'OrderPlaced', Detail: JSON.stringify(DETAIL), Resources: ['arn:aws:s3:::bucket'] },
          { Source: 'other', DetailType: 'OrderPlaced', Detail: '{}' },
        ],
      }),
    );
    expect(put.FailedEntryCount).toBe(0);
    const eventId = put.Entries![0]!.EventId!;

    await expect.poll(() => h.eventsOf('on-order').length).toBe(1);
    const seen = h.eventsOf('on-order')[0]!;
    expect(Object.keys(seen)).toEqual(ENVELOPE_KEYS);
    expect(seen).toMatchObject({ version: '0', id: eventId, 'detail-type': 'OrderPlaced', source: 'orders', account: ACCOUNT, region: REGION, resources: ['arn:aws:s3:::bucket'], detail: DETAIL });
    expect(seen.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    await expect.poll(async () => (await h.receive('orders')).length).toBe(1);
    const [message] = await h.receive('orders');
    expect(JSON.parse(message!.Body!)).toEqual(seen);
  });

  it('renders InputTransformer, InputPath and Input as EventBridge does', async () => {
    const queue = await h.queue('shaped');
    await h.events.send(new PutRuleCommand({ Name: 'shape', EventPattern: PATTERN }));
    await h.events.send(
      new PutTargetsCommand({
        Rule: 'shape',
        Targets: [
          // test_events_inputs.snapshot.json: test_input_transformer_nested_keys_replacement and _input_template_string.
          {
            Id: 'json',
            Arn: queue,
            InputTransformer: { InputPathsMap: { id: '$.detail.orderId', items: '$.detail.items', missing: '$.detail.nothing' }, InputTemplate: '{"order": <id>, "items": <items>, "path": "orders/<id>", "none": <missing>}' },
          },
          { Id: 'text', Arn: queue, InputTransformer: { InputPathsMap: { items: '$.detail.items', type: '$.detail-type' }, InputTemplate: '"<type> of <items> by <aws.events.rule-name>"' } },
          { Id: 'path', Arn: queue, InputPath: '$.detail.total' },
          { Id: 'constant', Arn: queue, Input: '{"fixed":true}' },
        ],
      }),
    );
    await h.events.send(new PutEventsCommand({ Entries: [{ Source: 'orders', DetailType: 'OrderPlaced', Detail: JSON.stringify(DETAIL) }] }));
    await expect.poll(async () => (await h.receive('shaped')).length).toBe(4);
    const bodies = (await h.receive('shaped')).map((m) => m.Body).sort();
    expect(bodies).toEqual(['"OrderPlaced of [a,b] by shape"', '42', '{"fixed":true}', '{"order": "o-1", "items": ["a","b"], "path": "orders/o-1", "none": ""}'].sort());
  });

  it('refuses an input template naming an undefined placeholder, and more than one input setting', async () => {
    await h.events.send(new PutRuleCommand({ Name: 'r', EventPattern: PATTERN }));
    const queue = await h.queue('q');
    // test_events_inputs.snapshot.json: test_put_events_with_input_transformer_missing_keys, test_put_event_input_path_and_input_transformer.
    const placeholder = await rejection(h.events.send(new PutTargetsCommand({ Rule: 'r', Targets: [{ Id: 't1', Arn: queue, InputTransformer: { InputPathsMap: {}, InputTemplate: '"<notdefinedkey>"' } }] })));
    expect([placeholder.name, placeholder.message]).toEqual(['ValidationException', 'InputTemplate for target t1 contains invalid placeholder notdefinedkey.']);
    const both = await rejection(h.events.send(new PutTargetsCommand({ Rule: 'r', Targets: [{ Id: 't2', Arn: queue, InputPath: '$.detail', Input: '{}' }] })));
    expect([both.name, both.message]).toEqual(['ValidationException', 'Only one of Input, InputPath, or InputTransformer must be provided for target t2.']);
  });

  it('reports entry errors in Entries and refuses a request over 256 KB', async () => {
    const put = await h.events.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'a', DetailType: 'b' },
          { Source: 'a', Detail: '{}' },
          { Source: 'a', DetailType: 'b', Detail: '[1, 2]' },
          { Source: 'a', DetailType: 'b', Detail: '{}' },
        ],
      }),
    );
    // test_events.snapshot.json: test_put_event_without_detail, test_put_event_without_detail_type.
    expect(put.FailedEntryCount).toBe(3);
    expect(put.Entries!.slice(0, 3)).toEqual([
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.' },
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
    ]);
    expect(put.Entries![3]!.EventId).toMatch(/^[0-9a-f-]{36}$/);
    // test_events.snapshot.json: test_put_event_with_too_big_detail.
    const big = await rejection(h.events.send(new PutEventsCommand({ Entries: [{ Source: 'a', DetailType: 'b', Detail: JSON.stringify({ x: 'x'.repeat(256 * 1024) }) }] })));
    expect([big.name, big.message]).toEqual(['ValidationException', 'Total size of the entries in the request is over the limit.']);
    const many = await rejection(h.events.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => ({ Source: 'a', DetailType: 'b', Detail: '{}' })) })));
    expect(many.name).toBe('ValidationException');
    expect(many.message).toMatch(/^1 validation error detected: .* at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10$/);
  });

  it('answers TestEventPattern, and refuses invalid patterns with the reason', async () => {
    const event = JSON.stringify({ id: '1', account: ACCOUNT, source: 'orders', time: '2026-01-01T00:00:00Z', region: REGION, 'detail-type': 'OrderPlaced', detail: DETAIL });
    const matches = async (pattern: unknown) => (await h.events.send(new TestEventPatternCommand({ Event: event, EventPattern: JSON.stringify(pattern) }))).Result;
    expect(await matches({ source: ['orders'] })).toBe(true);
    expect(await matches({ detail: { total: [{ numeric: ['>', 100] }] } })).toBe(false);
    expect(await matches({ detail: { orderId: [{ prefix: 'o-' }], items: ['b'] } })).toBe(true);
    // test_events_patterns.snapshot.json: test_event_pattern[arrays_empty_EXC], test_plain_string_payload.
    const invalid = await rejection(h.events.send(new TestEventPatternCommand({ Event: event, EventPattern: '{"resources": []}' })));
    expect(invalid).toBeInstanceOf(InvalidEventPatternException);
    expect(invalid.message).toBe('Event pattern is not valid. Reason: Empty arrays are not allowed');
    const plain = await rejection(h.events.send(new TestEventPatternCommand({ Event: '"plain string"', EventPattern: '{"source": ["x"]}' })));
    expect([plain.name, plain.message]).toEqual(['ValidationException', 'Parameter Event is not valid.']);
    const badRule = await rejection(h.events.send(new PutRuleCommand({ Name: 'bad', EventPattern: '{"a": [{"EXISTS": true}]}' })));
    expect([badRule.name, badRule.message]).toEqual(['InvalidEventPatternException', 'Event pattern is not valid. Reason: Unrecognized match type EXISTS']);
  });

  it('manages rules: describe, list with prefix and pages, disable, delete only without targets', async () => {
    for (const name of ['r-0', 'r-1', 'r-2', 'other']) await h.events.send(new PutRuleCommand({ Name: name, EventPattern: PATTERN, Description: `rule ${name}` }));
    // test_events.snapshot.json: test_put_list_with_prefix_describe_delete_rule[default].
    expect(await h.events.send(new DescribeRuleCommand({ Name: 'r-0' }))).toMatchObject({
      Name: 'r-0',
      Arn: `arn:aws:events:${REGION}:${ACCOUNT}:rule/r-0`,
      EventPattern: PATTERN,
      State: 'ENABLED',
      Description: 'rule r-0',
      EventBusName: 'default',
      CreatedBy: ACCOUNT,
    });
    const first = await h.events.send(new ListRulesCommand({ NamePrefix: 'r-', Limit: 2 }));
    expect(first.Rules!.map((r) => r.Name)).toEqual(['r-0', 'r-1']);
    const second = await h.events.send(new ListRulesCommand({ NamePrefix: 'r-', Limit: 2, NextToken: first.NextToken }));
    expect([second.Rules!.map((r) => r.Name), second.NextToken]).toEqual([['r-2'], undefined]);

    await h.events.send(new DisableRuleCommand({ Name: 'r-1' }));
    expect((await h.events.send(new DescribeRuleCommand({ Name: 'r-1' }))).State).toBe('DISABLED');

    const queue = await h.queue('q');
    await h.events.send(new PutTargetsCommand({ Rule: 'r-2', Targets: [{ Id: 'q', Arn: queue }] }));
    await h.events.send(new PutTargetsCommand({ Rule: 'other', Targets: [{ Id: 'q', Arn: queue }] }));
    expect((await h.events.send(new ListRuleNamesByTargetCommand({ TargetArn: queue }))).RuleNames).toEqual(['other', 'r-2']);
    expect((await h.events.send(new ListTargetsByRuleCommand({ Rule: 'r-2' }))).Targets).toEqual([{ Id: 'q', Arn: queue }]);
    // test_events.snapshot.json: test_delete_rule_with_targets, test_describe_nonexistent_rule.
    const refused = await rejection(h.events.send(new DeleteRuleCommand({ Name: 'r-2' })));
    expect([refused.name, refused.message]).toEqual(['ValidationException', "Rule can't be deleted since it has targets."]);
    await h.events.send(new RemoveTargetsCommand({ Rule: 'r-2', Ids: ['q'] }));
    await h.events.send(new DeleteRuleCommand({ Name: 'r-2' }));
    const gone = await rejection(h.events.send(new DescribeRuleCommand({ Name: 'r-2' })));
    expect(gone).toBeInstanceOf(ResourceNotFoundException);
    expect(gone.message).toBe('Rule r-2 does not exist on EventBus default.');
  });

  it('keeps at most five targets per rule', async () => {
    await h.events.send(new PutRuleCommand({ Name: 'r', EventPattern: PATTERN }));
    const queue = await h.queue('q');
    await h.events.send(new PutTargetsCommand({ Rule: 'r', Targets: Array.from({ length: 5 }, (_, i) => ({ Id: `t${i}`, Arn: queue })) }));
    // test_events.snapshot.json: test_add_exceed_fife_targets_per_rule.
    const over = await rejection(h.events.send(new PutTargetsCommand({ Rule: 'r', Targets: [{ Id: 't5', Arn: queue }] })));
    expect(over).toBeInstanceOf(LimitExceededException);
    expect(over.message).toBe('The requested resource exceeds the maximum number allowed.');
  });

  it('manages custom buses and routes events to them and between them', async () => {
    // test_events.snapshot.json: test_create_list_describe_delete_custom_event_buses, test_create_multiple_event_buses_same_name.
    const { EventBusArn } = await h.events.send(new CreateEventBusCommand({ Name: 'shop', Description: 'the shop' }));
    expect(EventBusArn).toBe(`arn:aws:events:${REGION}:${ACCOUNT}:event-bus/shop`);
    const again = await rejection(h.events.send(new CreateEventBusCommand({ Name: 'shop' })));
    expect(again).toBeInstanceOf(ResourceAlreadyExistsException);
    expect(again.message).toBe('Event bus shop already exists.');
    expect((await h.events.send(new ListEventBusesCommand({}))).EventBuses!.map((b) => b.Name)).toEqual(['default', 'shop']);
    expect(await h.events.send(new DescribeEventBusCommand({ Name: 'shop' }))).toMatchObject({ Name: 'shop', Arn: EventBusArn, Description: 'the shop', CreationTime: expect.any(Date) });

    // An event on the default bus forwarded to the shop bus, whose rule sends it to a queue.
    const queue = await h.queue('shop-events');
    const { RuleArn } = await h.events.send(new PutRuleCommand({ Name: 'on-shop', EventBusName: 'shop', EventPattern: PATTERN }));
    expect(RuleArn).toBe(`arn:aws:events:${REGION}:${ACCOUNT}:rule/shop/on-shop`);
    await h.events.send(new PutTargetsCommand({ Rule: 'on-shop', EventBusName: 'shop', Targets: [{ Id: 'q', Arn: queue }] }));
    await h.events.send(new PutRuleCommand({ Name: 'forward', EventPattern: PATTERN }));
    await h.events.send(new PutTargetsCommand({ Rule: 'forward', Targets: [{ Id: 'bus', Arn: EventBusArn! }] }));
    const put = await h.events.send(new PutEventsCommand({ Entries: [{ Source: 'orders', DetailType: 'OrderPlaced', Detail: '{"n":1}' }] }));
    await expect.poll(async () => (await h.receive('shop-events')).length).toBe(1);
    expect(JSON.parse((await h.receive('shop-events'))[0]!.Body!)).toMatchObject({ id: put.Entries![0]!.EventId, detail: { n: 1 } });

    // test_events.snapshot.json: test_put_events_nonexistent_event_bus, test_delete_default_event_bus.
    const missing = await rejection(h.events.send(new PutEventsCommand({ Entries: [{ Source: 'a', DetailType: 'b', Detail: '{}', EventBusName: 'nope' }] })));
    expect([missing.name, missing.message]).toEqual(['ResourceNotFoundException', 'Event bus nope does not exist.']);
    const defaultBus = await rejection(h.events.send(new DeleteEventBusCommand({ Name: 'default' })));
    expect([defaultBus.name, defaultBus.message]).toEqual(['ValidationException', 'Cannot delete event bus default.']);
    await h.events.send(new DeleteEventBusCommand({ Name: 'shop' }));
    expect((await h.events.send(new ListEventBusesCommand({}))).EventBuses!.map((b) => b.Name)).toEqual(['default']);
  });

  it('tags buses and rules', async () => {
    const { RuleArn } = await h.events.send(new PutRuleCommand({ Name: 'r', EventPattern: PATTERN, Tags: [{ Key: 'team', Value: 'a' }] }));
    await h.events.send(new TagResourceCommand({ ResourceARN: RuleArn, Tags: [{ Key: 'team', Value: 'b' }, { Key: 'env', Value: 'dev' }] }));
    await h.events.send(new UntagResourceCommand({ ResourceARN: RuleArn, TagKeys: ['env'] }));
    expect((await h.events.send(new ListTagsForResourceCommand({ ResourceARN: RuleArn }))).Tags).toEqual([{ Key: 'team', Value: 'b' }]);
    // test_events_tags.snapshot.json: tests_tag_list_untag_not_existing_resource.
    const missing = await rejection(h.events.send(new ListTagsForResourceCommand({ ResourceARN: `arn:aws:events:${REGION}:${ACCOUNT}:rule/nope` })));
    expect([missing.name, missing.message]).toEqual(['ResourceNotFoundException', 'Rule nope does not exist on EventBus default.']);
  });

  it('sends an event it cannot deliver to the dead-letter queue, with EventBridge attributes', async () => {
    const dlq = await h.queue('dlq');
    await h.events.send(new PutRuleCommand({ Name: 'r', EventPattern: PATTERN }));
    const nowhere = functionArn('not-deployed');
    await h.events.send(new PutTargetsCommand({ Rule: 'r', Targets: [{ Id: 'fn', Arn: nowhere, DeadLetterConfig: { Arn: dlq } }] }));
    const put = await h.events.send(new PutEventsCommand({ Entries: [{ Source: 'orders', DetailType: 'OrderPlaced', Detail: '{}' }] }));
    await expect.poll(async () => (await h.receive('dlq')).length).toBe(1);
    const [message] = await h.receive('dlq');
    expect(JSON.parse(message!.Body!)).toMatchObject({ id: put.Entries![0]!.EventId, source: 'orders' });
    const attribute = (name: string) => message!.MessageAttributes![name]?.StringValue;
    expect([attribute('RULE_ARN'), attribute('TARGET_ARN'), attribute('ERROR_CODE')]).toEqual([`arn:aws:events:${REGION}:${ACCOUNT}:rule/r`, nowhere, 'ResourceNotFoundException']);
  });

  it('delivers to a FIFO queue in the target’s message group, and wants one', async () => {
    const fifo = await h.queue('orders.fifo');
    await h.events.send(new PutRuleCommand({ Name: 'r', EventPattern: PATTERN }));
    const refused = await rejection(h.events.send(new PutTargetsCommand({ Rule: 'r', Targets: [{ Id: 'fifo', Arn: fifo }] })));
    expect([refused.name, refused.message]).toEqual(['ValidationException', 'Parameter(s) SqsParameters must be specified for target: fifo.']);
    await h.events.send(new PutTargetsCommand({ Rule: 'r', Targets: [{ Id: 'fifo', Arn: fifo, SqsParameters: { MessageGroupId: 'orders' } }] }));
    const put = await h.events.send(new PutEventsCommand({ Entries: [{ Source: 'orders', DetailType: 'OrderPlaced', Detail: '{}' }] }));
    await expect.poll(async () => (await h.receive('orders.fifo')).map((m) => (JSON.parse(m.Body!) as { id: string }).id)).toEqual([put.Entries![0]!.EventId]);
  });

  it('reports targets Flint cannot deliver to in FailedEntries', async () => {
    await h.events.send(new PutRuleCommand({ Name: 'r', EventPattern: PATTERN }));
    const put = await h.events.send(new PutTargetsCommand({ Rule: 'r', Targets: [{ Id: 'k', Arn: `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/s` }] }));
    expect(put.FailedEntryCount).toBe(1);
    expect(put.FailedEntries![0]).toMatchObject({ TargetId: 'k', ErrorCode: 'ValidationException' });
  });
});
