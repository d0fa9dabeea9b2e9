import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SnsHarness, child, functionArnOf, mapParams, memberList, messageAttributeParams, queueArnOf, textOf, topicArnOf } from './harness.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('SNS Publish and PublishBatch', () => {
  let h: SnsHarness;
  let topic: string;
  beforeEach(async () => {
    h = await SnsHarness.start();
    topic = await h.createTopic('pub');
  });
  afterEach(async () => {
    await h.close();
  });

  const publish = (params: Record<string, string>) => h.call('Publish', { TopicArn: topic, Message: 'm', ...params });

  it('publishes to a topic by TopicArn or TargetArn and delivers to every subscriber', async () => {
    await h.subscribe(topic, 'sqs', queueArnOf('a'));
    await h.subscribe(topic, 'lambda', functionArnOf('b'));
    const reply = await h.call('Publish', { TopicArn: topic, Message: 'hello', Subject: 'subj', ...messageAttributeParams('MessageAttributes', { attr1: { DataType: 'String', StringValue: 'v1' } }) });
    expect(reply.status).toBe(200);
    expect(textOf(reply.result, 'MessageId')).toMatch(UUID);
    expect(reply.body).not.toContain('SequenceNumber');
    expect(textOf(await h.ok('Publish', { TargetArn: topic, Message: 'by target' }), 'MessageId')).toMatch(UUID);
    await expect.poll(() => h.targets.messages.length + h.targets.invocations.length).toBe(4);
    expect(JSON.parse(h.targets.messages[0]!.body)).toMatchObject({ Message: 'hello', Subject: 'subj', MessageAttributes: { attr1: { Type: 'String', Value: 'v1' } } });
  });

  it('reports invalid messages with SNS codes and messages', async () => {
    expect((await publish({ Message: '' })).error).toEqual({ type: 'Sender', code: 'InvalidParameter', message: 'Invalid parameter: Empty message' });
    expect((await publish({ Subject: '' })).error?.message).toBe('Invalid parameter: Subject');
    expect((await publish({ Subject: 'two\nlines' })).error?.message).toBe('Invalid parameter: Subject');
    expect((await publish({ Message: 'x'.repeat(262_145) })).error?.message).toBe('Invalid parameter: Message too long');
    expect((await publish({ Message: 'x'.repeat(262_144) })).status).toBe(200);
    expect((await publish({ Message: 'x'.repeat(262_100), ...messageAttributeParams('MessageAttributes', { big: { DataType: 'String', StringValue: 'y'.repeat(100) } }) })).error?.message).toBe(
      'Invalid parameter: Message too long',
    );
    expect((await h.call('Publish', { Message: 'm' })).error?.message).toBe('Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter');
    expect((await h.call('Publish', { TopicArn: topic })).error?.message).toBe("1 validation error detected: Value null at 'message' failed to satisfy constraint: Member must not be null");
    expect((await h.call('Publish', { TopicArn: 'arn:aws:sns:us-east-1', Message: 'm' })).error?.message).toBe('Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 4');
    expect((await h.call('Publish', { TargetArn: 'arn:aws:sns:us-east-1:000000000000:endpoint/GCM/app/1', Message: 'm' })).error?.message).toBe(
      'Invalid parameter: TargetArn Reason: No endpoint found for the target arn specified',
    );
    const unknown = await h.call('Publish', { TopicArn: topicArnOf('ghost'), Message: 'm' });
    expect([unknown.status, unknown.error?.code, unknown.error?.message]).toEqual([404, 'NotFound', 'Topic does not exist']);
    expect((await publish({ MessageDeduplicationId: 'd' })).error?.message).toBe(
      'Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type',
    );
  });

  it('validates message attributes as SNS does', async () => {
    const attributeError = async (attributes: Record<string, { DataType?: string; StringValue?: string; BinaryValue?: string }>) => {
      const reply = await publish(messageAttributeParams('MessageAttributes', attributes));
      return reply.error && `${reply.error.code}: ${reply.error.message}`;
    };
    expect(await attributeError({ attr1: { DataType: 'String', StringValue: '' } })).toBe(
      "ParameterValueInvalid: The message attribute 'attr1' must contain non-empty message attribute value for message attribute type 'String'.",
    );
    expect(await attributeError({ attr1: { DataType: 'String' } })).toBe("ParameterValueInvalid: The message attribute 'attr1' must contain non-empty message attribute value for message attribute type 'String'.");
    expect(await attributeError({ attr1: { StringValue: 'value' } })).toBe(
      "ValidationError: 1 validation error detected: Value null at 'messageAttributes.attr1.member.dataType' failed to satisfy constraint: Member must not be null",
    );
    expect(await attributeError({ attr1: { DataType: 'String', BinaryValue: 'MTIz' } })).toBe("ParameterValueInvalid: The message attribute 'attr1' with type 'String' must use field 'String'.");
    expect(await attributeError({ attr1: { DataType: 'Number', BinaryValue: 'MTIz' } })).toBe("ParameterValueInvalid: The message attribute 'attr1' with type 'Number' must use field 'String'.");
    expect(await attributeError({ attr1: { DataType: 'Binary', StringValue: '123' } })).toBe("ParameterValueInvalid: The message attribute 'attr1' with type 'Binary' must use field 'Binary'.");
    expect(await attributeError({ attr1: { DataType: 'InvalidType', StringValue: '123' } })).toBe(
      "ParameterValueInvalid: The message attribute 'attr1' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.",
    );
    expect(await attributeError({ attr1: { DataType: 'String.', StringValue: 'x' } })).toMatch(/invalid message attribute type/);
    expect(await attributeError({ ['a'.repeat(257)]: { DataType: 'String', StringValue: '123' } })).toBe('ParameterValueInvalid: Length of message attribute name must be less than 256 bytes.');
    expect(await attributeError({ 'a^*?': { DataType: 'String', StringValue: '123' } })).toBe(
      "ParameterValueInvalid: Invalid non-alphanumeric character '#x5E' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.",
    );
    expect(await attributeError({ '.abc': { DataType: 'String', StringValue: '123' } })).toBe("ParameterValueInvalid: Invalid message attribute name starting with character '.' was found.");
    expect(await attributeError({ 'abc.': { DataType: 'String', StringValue: '123' } })).toBe("ParameterValueInvalid: Invalid message attribute name ending with character '.' was found.");
    expect(await attributeError({ 'a..bc': { DataType: 'String', StringValue: '123' } })).toBe("ParameterValueInvalid: Message attribute name can not have successive '.' character.");
    expect(await attributeError({ ok: { DataType: 'String.  prefixed.', StringValue: 'x' } })).toBeUndefined();
  });

  it('sends each protocol its own text of a MessageStructure=json message', async () => {
    await h.subscribe(topic, 'sqs', queueArnOf('q'), { RawMessageDelivery: 'true' });
    await h.subscribe(topic, 'lambda', functionArnOf('f'));
    const message = JSON.stringify({ default: 'default field', sqs: '{"field": "value"}', email: 'ignored', lambda: 5 });
    await h.publish(topic, message, { MessageStructure: 'json' });
    await expect.poll(() => h.targets.messages.length + h.targets.invocations.length).toBe(2);
    expect(h.targets.messages[0]!.body).toBe('{"field": "value"}');
    expect(h.targets.invocations[0]!.event.Records[0]!.Sns.Message).toBe('default field');

    expect((await publish({ Message: '{"sqs": "x"}', MessageStructure: 'json' })).error?.message).toBe('Invalid parameter: Message Structure - No default entry in JSON message body');
    expect((await publish({ Message: 'not json', MessageStructure: 'json' })).error?.message).toBe('Invalid parameter: Message Structure - JSON message body failed to parse');
  });

  it('fans out only to subscribers whose filter policy matches', async () => {
    await h.subscribe(topic, 'sqs', queueArnOf('red'), { FilterPolicy: JSON.stringify({ colour: ['red'] }) });
    await h.subscribe(topic, 'sqs', queueArnOf('big'), { FilterPolicy: JSON.stringify({ size: [{ numeric: ['>', 10] }] }) });
    await h.subscribe(topic, 'sqs', queueArnOf('body'), { FilterPolicy: JSON.stringify({ order: { state: ['paid'] } }), FilterPolicyScope: 'MessageBody' });
    await h.subscribe(topic, 'sqs', queueArnOf('all'));
    await h.publish(topic, '{"order":{"state":"paid"}}', messageAttributeParams('MessageAttributes', { colour: { DataType: 'String', StringValue: 'red' }, size: { DataType: 'Number', StringValue: '3' } }));
    await h.publish(topic, 'plain', messageAttributeParams('MessageAttributes', { size: { DataType: 'Number', StringValue: '11' } }));
    await expect.poll(() => h.targets.messages.length).toBe(5);
    const byQueue = (name: string) => h.targets.messages.filter((m) => m.queueArn === queueArnOf(name)).map((m) => JSON.parse(m.body).Message);
    expect(byQueue('red')).toEqual(['{"order":{"state":"paid"}}']);
    expect(byQueue('big')).toEqual(['plain']);
    expect(byQueue('body')).toEqual(['{"order":{"state":"paid"}}']);
    expect(byQueue('all').sort()).toEqual(['plain', '{"order":{"state":"paid"}}']);
  });

  it('publishes batches with per-entry results and delivers each entry', async () => {
    await h.subscribe(topic, 'sqs', queueArnOf('q'), { RawMessageDelivery: 'true', FilterPolicy: '{"keep":["yes"]}' });
    const entries = {
      'PublishBatchRequestEntries.member.1.Id': 'first',
      'PublishBatchRequestEntries.member.1.Message': 'one',
      ...messageAttributeParams('PublishBatchRequestEntries.member.1.MessageAttributes', { keep: { DataType: 'String', StringValue: 'yes' } }),
      'PublishBatchRequestEntries.member.2.Id': 'second',
      'PublishBatchRequestEntries.member.2.Message': 'two',
      'PublishBatchRequestEntries.member.3.Id': 'third_3',
      'PublishBatchRequestEntries.member.3.Message': 'three',
      'PublishBatchRequestEntries.member.3.Subject': 'S',
      ...messageAttributeParams('PublishBatchRequestEntries.member.3.MessageAttributes', { keep: { DataType: 'String', StringValue: 'yes' } }),
    };
    const result = await h.ok('PublishBatch', { TopicArn: topic, ...entries });
    const successful = memberList(child(result, 'Successful'));
    expect(successful.map((entry) => entry.Id)).toEqual(['first', 'second', 'third_3']);
    for (const entry of successful) expect(entry.MessageId).toMatch(UUID);
    expect(child(result, 'Failed')?.children).toEqual([]);
    await expect.poll(() => h.targets.messages.length).toBe(2);
    expect(h.targets.messages.map((m) => m.body)).toEqual(['one', 'three']);
  });

  it('rejects invalid batches as a whole, as SNS does', async () => {
    const entry = (i: number, id = String(i), extra: Record<string, string> = {}) => ({
      [`PublishBatchRequestEntries.member.${i}.Id`]: id,
      [`PublishBatchRequestEntries.member.${i}.Message`]: `message ${i}`,
      ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [`PublishBatchRequestEntries.member.${i}.${k}`, v])),
    });
    const batch = (...parts: Record<string, string>[]) => h.call('PublishBatch', { TopicArn: topic, ...Object.assign({}, ...parts) });
    const eleven = Array.from({ length: 11 }, (_, i) => entry(i + 1));
    expect((await batch(...eleven)).error).toEqual({ type: 'Sender', code: 'TooManyEntriesInBatchRequest', message: 'The batch request contains more entries than permissible.' });
    expect((await batch(entry(1, 'same'), entry(2, 'same'))).error).toMatchObject({ code: 'BatchEntryIdsNotDistinct', message: 'Two or more batch entries in the request have the same Id.' });
    expect((await batch(entry(1, 'message.id'))).error).toMatchObject({ code: 'InvalidBatchEntryId', message: 'The Id of a batch entry in the batch request contains an impermissible character: message.id' });
    expect((await batch(entry(1, 'a'.repeat(81)))).error?.message).toBe(`The Id of a batch entry in the batch request is too long: ${'a'.repeat(81)}`);
    expect((await batch(entry(1, 'a'.repeat(80)))).status).toBe(200);
    expect((await h.call('PublishBatch', { TopicArn: topic, PublishBatchRequestEntries: '' })).error?.code).toBe('EmptyBatchRequest');
    const long = (i: number) => entry(i, String(i), { Message: 'x'.repeat(100_000) });
    expect((await batch(long(1), long(2), long(3))).error).toMatchObject({ code: 'BatchRequestTooLong', message: 'The length of all the messages put together is more than the limit.' });
    expect((await batch(entry(1), entry(2, '2', { 'MessageAttributes.entry.1.Name': 'attr1', 'MessageAttributes.entry.1.Value.StringValue': 'v' }))).error?.message).toBe(
      "1 validation error detected: Value null at 'publishBatchRequestEntries.2.member.messageAttributes.attr1.member.dataType' failed to satisfy constraint: Member must not be null",
    );
    expect((await batch(entry(1, '1', { MessageStructure: 'json', Message: '{"sqs":"x"}' }))).error?.message).toBe('Invalid parameter: Message Structure - No default entry in JSON message body');
    expect((await h.call('PublishBatch', { TopicArn: topicArnOf('ghost'), ...entry(1) })).error?.code).toBe('NotFound');
  });

  describe('FIFO topics', () => {
    let fifo: string;
    beforeEach(async () => {
      fifo = await h.createTopic('orders.fifo', { FifoTopic: 'true' });
    });

    it('requires a group id and a deduplication id (or content-based deduplication)', async () => {
      expect((await h.call('Publish', { TopicArn: fifo, Message: 'm' })).error?.message).toBe('Invalid parameter: The MessageGroupId parameter is required for FIFO topics');
      expect((await h.call('Publish', { TopicArn: fifo, Message: 'm', MessageGroupId: 'g' })).error?.message).toBe(
        'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
      );
      const ok = await h.ok('Publish', { TopicArn: fifo, Message: 'm', MessageGroupId: 'g', MessageDeduplicationId: 'd1' });
      expect(textOf(ok, 'SequenceNumber')).toMatch(/^1\d{19}$/);
      const batch = await h.call('PublishBatch', { TopicArn: fifo, 'PublishBatchRequestEntries.member.1.Id': '1', 'PublishBatchRequestEntries.member.1.Message': 'm' });
      expect(batch.error?.message).toBe('Invalid parameter: The MessageGroupId parameter is required for FIFO topics');
    });

    it('deduplicates within five minutes and delivers in order to FIFO queues with group and deduplication ids', async () => {
      await h.subscribe(fifo, 'sqs', queueArnOf('orders.fifo'));
      const send = (body: string, dedup: string) => h.ok('Publish', { TopicArn: fifo, Message: body, MessageGroupId: 'g1', MessageDeduplicationId: dedup });
      const first = await send('one', 'd1');
      const repeat = await send('one again', 'd1');
      expect(textOf(repeat, 'MessageId')).toBe(textOf(first, 'MessageId'));
      expect(textOf(repeat, 'SequenceNumber')).toBe(textOf(first, 'SequenceNumber'));
      const second = await send('two', 'd2');
      expect(BigInt(textOf(second, 'SequenceNumber')!)).toBeGreaterThan(BigInt(textOf(first, 'SequenceNumber')!));
      await expect.poll(() => h.targets.messages.length).toBe(2);
      expect(h.targets.messages.map((m) => JSON.parse(m.body).Message)).toEqual(['one', 'two']);
      expect(h.targets.messages[0]!.fifo).toEqual({ messageGroupId: 'g1', messageDeduplicationId: 'd1' });
      const envelope = JSON.parse(h.targets.messages[0]!.body);
      expect(Object.keys(envelope)).toEqual(['Type', 'MessageId', 'SequenceNumber', 'TopicArn', 'Message', 'Timestamp', 'UnsubscribeURL']);
      expect(envelope.SequenceNumber).toBe(textOf(first, 'SequenceNumber'));

      await h.clock.advance(5 * 60_000 + 1);
      await send('one later', 'd1');
      await expect.poll(() => h.targets.messages.length).toBe(3);
    });

    it('deduplicates by content when the topic asks for it', async () => {
      const cbd = await h.createTopic('cbd.fifo', { FifoTopic: 'true', ContentBasedDeduplication: 'true' });
      await h.subscribe(cbd, 'lambda', functionArnOf('f'));
      const a = await h.ok('Publish', { TopicArn: cbd, Message: 'same', MessageGroupId: 'g' });
      const b = await h.ok('Publish', { TopicArn: cbd, Message: 'same', MessageGroupId: 'g' });
      const c = await h.ok('Publish', { TopicArn: cbd, Message: 'different', MessageGroupId: 'g' });
      expect(textOf(b, 'MessageId')).toBe(textOf(a, 'MessageId'));
      expect(textOf(c, 'MessageId')).not.toBe(textOf(a, 'MessageId'));
      await expect.poll(() => h.targets.invocations.length).toBe(2);
    });

    it('answers SequenceNumber per batch entry', async () => {
      const result = await h.ok('PublishBatch', {
        TopicArn: fifo,
        ...mapParams('unused', {}),
        'PublishBatchRequestEntries.member.1.Id': 'a',
        'PublishBatchRequestEntries.member.1.Message': 'm1',
        'PublishBatchRequestEntries.member.1.MessageGroupId': 'g',
        'PublishBatchRequestEntries.member.1.MessageDeduplicationId': 'x1',
        'PublishBatchRequestEntries.member.2.Id': 'b',
        'PublishBatchRequestEntries.member.2.Message': 'm2',
        'PublishBatchRequestEntries.member.2.MessageGroupId': 'g',
        'PublishBatchRequestEntries.member.2.MessageDeduplicationId': 'x2',
      });
      const entries = memberList(child(result, 'Successful'));
      expect(entries.map((e) => e.Id)).toEqual(['a', 'b']);
      expect(entries.every((e) => /^1\d{19}$/.test(e.SequenceNumber!))).toBe(true);
    });
  });

  it('publishes in-process with the same validation', async () => {
    await h.subscribe(topic, 'sqs', queueArnOf('internal'), { RawMessageDelivery: 'true' });
    const result = await h.service.publish({ topicArn: topic, message: '{"Records":[]}', subject: 'Amazon S3 Notification', messageAttributes: { kind: { DataType: 'String', StringValue: 's3' } } });
    expect(result.messageId).toMatch(UUID);
    await expect.poll(() => h.targets.messages.length).toBe(1);
    expect(h.targets.messages[0]).toMatchObject({ body: '{"Records":[]}', attributes: { kind: { DataType: 'String', StringValue: 's3' } } });
    await expect(h.service.publish({ topicArn: topicArnOf('nope'), message: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'Topic does not exist' });
    await expect(h.service.publish({ topicArn: topic, message: '' })).rejects.toMatchObject({ code: 'INVALID_PARAMETER', message: 'Invalid parameter: Empty message' });
  });
});
