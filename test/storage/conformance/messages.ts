import { describe, expect, it } from 'vitest';
import { FIFO_DEDUPLICATION_WINDOW_MS, type MessageStore, type NewMessage, type NewQueue } from '../../../src/storage/index.js';
import { expectFlintError, type StorageContext } from './context.js';

const VISIBILITY = 30_000;
const DAY = 24 * 60 * 60 * 1000;

let nextId = 0;
const message = (body: string, extra: Partial<NewMessage> = {}): NewMessage => ({ id: `m-${++nextId}`, body, ...extra });
const queueSpec = (name: string, extra: Partial<NewQueue> = {}): NewQueue => ({
  name,
  fifo: name.endsWith('.fifo'),
  retentionMs: 4 * DAY,
  attributes: { VisibilityTimeout: '30' },
  tags: {},
  ...extra,
});

/** Conformance of the messages store (SQS queues). */
export function messagesConformance(ctx: StorageContext): void {
  describe('messages', () => {
    queueConformance(ctx);
    standardConformance(ctx);
    visibilityConformance(ctx);
    redriveConformance(ctx);
    fifoConformance(ctx);
    lifecycleConformance(ctx);
  });
}

function store(ctx: StorageContext): MessageStore {
  return ctx.storage.messages;
}

async function bodies(ctx: StorageContext, queue: string, max = 10, visibilityMs = VISIBILITY): Promise<string[]> {
  return (await store(ctx).receive(queue, { max, visibilityMs })).map((m) => m.body);
}

function queueConformance(ctx: StorageContext): void {
  it('creates a queue once and returns the existing one untouched afterwards', async () => {
    const first = await store(ctx).createQueue(queueSpec('orders', { tags: { team: 'a' }, deadLetter: { queue: 'dlq', maxReceiveCount: 3 } }));
    expect(first.created).toBe(true);
    expect(first.queue).toEqual({
      name: 'orders',
      fifo: false,
      retentionMs: 4 * DAY,
      deadLetter: { queue: 'dlq', maxReceiveCount: 3 },
      attributes: { VisibilityTimeout: '30' },
      tags: { team: 'a' },
      createdAt: ctx.clock.now(),
      updatedAt: ctx.clock.now(),
    });
    await ctx.clock.advance(1000);
    const again = await store(ctx).createQueue(queueSpec('orders', { attributes: { VisibilityTimeout: '99' } }));
    expect(again).toEqual({ queue: first.queue, created: false });
    expect(await store(ctx).getQueue('orders')).toEqual(first.queue);
    expect(await store(ctx).getQueue('absent')).toBeUndefined();
  });

  it('lists queues in name order, by literal prefix, after a name and up to a limit', async () => {
    for (const name of ['b_x', 'a', 'b%y', 'bz', 'c']) await store(ctx).createQueue(queueSpec(name));
    const names = async (options?: Parameters<MessageStore['listQueues']>[0]) => (await store(ctx).listQueues(options)).map((q) => q.name);
    expect(await names()).toEqual(['a', 'b%y', 'b_x', 'bz', 'c']);
    expect(await names({ prefix: 'b_' })).toEqual(['b_x']);
    expect(await names({ prefix: 'b%' })).toEqual(['b%y']);
    expect(await names({ prefix: 'b', after: 'b%y', limit: 1 })).toEqual(['b_x']);
    expect(await names({ limit: 2 })).toEqual(['a', 'b%y']);
  });

  it('updates the given fields of a queue and removes a redrive target given as null', async () => {
    await store(ctx).createQueue(queueSpec('q', { deadLetter: { queue: 'dlq', maxReceiveCount: 3 } }));
    await ctx.clock.advance(5000);
    const updated = await store(ctx).updateQueue('q', { attributes: { VisibilityTimeout: '60' }, retentionMs: DAY });
    expect(updated).toMatchObject({ retentionMs: DAY, attributes: { VisibilityTimeout: '60' }, deadLetter: { queue: 'dlq', maxReceiveCount: 3 }, tags: {} });
    expect(updated?.updatedAt).toBe(ctx.clock.now());
    expect(updated?.updatedAt).toBeGreaterThan(updated?.createdAt ?? Infinity);
    const cleared = await store(ctx).updateQueue('q', { deadLetter: null, tags: { k: 'v' } });
    expect(cleared?.deadLetter).toBeUndefined();
    expect(cleared?.tags).toEqual({ k: 'v' });
    expect(await store(ctx).updateQueue('absent', { tags: {} })).toBeUndefined();
  });

  it('deletes a queue with its messages; a queue created again under the name starts empty', async () => {
    await store(ctx).createQueue(queueSpec('q'));
    await store(ctx).send('q', [message('old')]);
    const [received] = await store(ctx).receive('q', { max: 1, visibilityMs: 0 });
    expect(await store(ctx).deleteQueue('q')).toBe(true);
    expect(await store(ctx).deleteQueue('q')).toBe(false);
    await store(ctx).createQueue(queueSpec('q'));
    expect(await bodies(ctx, 'q')).toEqual([]);
    expect(await store(ctx).delete('q', [received?.receipt ?? ''])).toEqual(['invalid']);
  });

  it('refuses message operations on a queue that does not exist', async () => {
    await expectFlintError(store(ctx).send('absent', [message('x')]), 'NOT_FOUND');
    await expectFlintError(store(ctx).receive('absent', { max: 1, visibilityMs: 0 }), 'NOT_FOUND');
    await expectFlintError(store(ctx).delete('absent', []), 'NOT_FOUND');
    await expectFlintError(store(ctx).counts('absent'), 'NOT_FOUND');
    await expectFlintError(store(ctx).purge('absent'), 'NOT_FOUND');
  });
}

function standardConformance(ctx: StorageContext): void {
  it('delivers a message with its body, attributes, send time, first receive and a receipt', async () => {
    await store(ctx).createQueue(queueSpec('q'));
    const sentAt = ctx.clock.now();
    const [sent] = await store(ctx).send('q', [message('hello', { id: 'id-1', attributes: '{"a":1}', groupId: 'g' })]);
    expect(sent).toEqual({ id: 'id-1', sequence: expect.any(Number), duplicate: false });
    await ctx.clock.advance(250);
    const [received] = await store(ctx).receive('q', { max: 10, visibilityMs: VISIBILITY });
    expect(received).toEqual({
      id: 'id-1',
      body: 'hello',
      attributes: '{"a":1}',
      groupId: 'g',
      sentAt,
      sequence: sent?.sequence,
      receiveCount: 1,
      firstReceivedAt: sentAt + 250,
      receipt: expect.any(String),
    });
  });

  it('returns at most max messages, oldest first, and each message once while it is invisible', async () => {
    await store(ctx).createQueue(queueSpec('q'));
    await store(ctx).send('q', ['1', '2', '3'].map((b) => message(b)));
    await ctx.clock.advance(1);
    await store(ctx).send('q', [message('4'), message('5')]);
    expect(await bodies(ctx, 'q', 2)).toEqual(['1', '2']);
    expect(await bodies(ctx, 'q', 10)).toEqual(['3', '4', '5']);
    expect(await bodies(ctx, 'q', 10)).toEqual([]);
    expect(await store(ctx).receive('q', { max: 0, visibilityMs: 0 })).toEqual([]);
  });

  it('hands each message to exactly one of many concurrent receivers', async () => {
    await store(ctx).createQueue(queueSpec('q'));
    const sent = await store(ctx).send('q', Array.from({ length: 200 }, (_, i) => message(String(i))));
    const receipts = await Promise.all(Array.from({ length: 25 }, () => store(ctx).receive('q', { max: 10, visibilityMs: VISIBILITY })));
    const ids = receipts.flat().map((m) => m.id);
    expect(ids).toHaveLength(200);
    expect(new Set(ids)).toEqual(new Set(sent.map((s) => s.id)));
  });

  it('keeps a delayed message invisible until its delay has passed', async () => {
    await store(ctx).createQueue(queueSpec('q'));
    await store(ctx).send('q', [message('later', { delayMs: 5000 }), message('now')]);
    expect(await store(ctx).counts('q')).toEqual({ visible: 1, inFlight: 0, delayed: 1 });
    expect(await bodies(ctx, 'q')).toEqual(['now']);
    expect(await store(ctx).nextVisibleAt('q')).toBe(ctx.clock.now() + 5000);
    await ctx.clock.advance(4999);
    expect(await bodies(ctx, 'q')).toEqual([]);
    await ctx.clock.advance(1);
    expect(await bodies(ctx, 'q')).toEqual(['later']);
  });

  it('counts visible, in-flight and delayed messages', async () => {
    await store(ctx).createQueue(queueSpec('q'));
    await store(ctx).send('q', [message('a'), message('b'), message('c'), message('d', { delayMs: 1000 })]);
    await store(ctx).receive('q', { max: 1, visibilityMs: VISIBILITY });
    expect(await store(ctx).counts('q')).toEqual({ visible: 2, inFlight: 1, delayed: 1 });
    await ctx.clock.advance(VISIBILITY);
    expect(await store(ctx).counts('q')).toEqual({ visible: 4, inFlight: 0, delayed: 0 });
  });

  it('drops messages older than the retention period instead of delivering them', async () => {
    await store(ctx).createQueue(queueSpec('q', { retentionMs: 60_000 }));
    await store(ctx).send('q', [message('old')]);
    await ctx.clock.advance(30_000);
    await store(ctx).send('q', [message('young')]);
    await ctx.clock.advance(30_000);
    expect(await bodies(ctx, 'q')).toEqual(['young']);
    await ctx.clock.advance(VISIBILITY);
    expect(await store(ctx).counts('q')).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('deletes by any receipt handle issued for a message; an unknown handle is invalid', async () => {
    await store(ctx).createQueue(queueSpec('q'));
    await store(ctx).createQueue(queueSpec('other'));
    await store(ctx).send('q', [message('a')]);
    await store(ctx).send('other', [message('elsewhere')]);
    const [first] = await store(ctx).receive('q', { max: 1, visibilityMs: 1000 });
    await ctx.clock.advance(1000);
    const [second] = await store(ctx).receive('q', { max: 1, visibilityMs: 1000 });
    expect(second?.receipt).not.toBe(first?.receipt);
    expect(second?.receiveCount).toBe(2);
    expect(second?.firstReceivedAt).toBe(first?.firstReceivedAt);
    const [foreign] = await store(ctx).receive('other', { max: 1, visibilityMs: 1000 });
    expect(await store(ctx).delete('q', [first?.receipt ?? '', 'not-a-handle', foreign?.receipt ?? '', ''])).toEqual(['ok', 'invalid', 'invalid', 'invalid']);
    expect(await store(ctx).delete('q', [second?.receipt ?? ''])).toEqual(['ok']);
    await ctx.clock.advance(1000);
    expect(await bodies(ctx, 'q')).toEqual([]);
    expect(await bodies(ctx, 'other')).toEqual(['elsewhere']);
  });

  it('tells listeners about sends after they commit, until they unsubscribe', async () => {
    await store(ctx).createQueue(queueSpec('q'));
    const heard: string[] = [];
    const stop = store(ctx).onAvailable((queue) => heard.push(queue));
    await store(ctx).send('q', [message('a')]);
    expect(heard).toEqual(['q']);
    stop();
    await store(ctx).send('q', [message('b')]);
    expect(heard).toEqual(['q']);
  });

  it('purges every message, but not twice within the given interval', async () => {
    await store(ctx).createQueue(queueSpec('q'));
    await store(ctx).send('q', [message('a'), message('b'), message('c', { delayMs: 1000 })]);
    await store(ctx).receive('q', { max: 1, visibilityMs: VISIBILITY });
    expect(await store(ctx).purge('q', { minIntervalMs: 60_000 })).toEqual({ purged: true, count: 3 });
    expect(await store(ctx).counts('q')).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    const purgedAt = ctx.clock.now();
    await ctx.clock.advance(59_999);
    expect(await store(ctx).purge('q', { minIntervalMs: 60_000 })).toEqual({ purged: false, lastPurgeAt: purgedAt });
    await ctx.clock.advance(1);
    expect(await store(ctx).purge('q', { minIntervalMs: 60_000 })).toEqual({ purged: true, count: 0 });
  });
}

function visibilityConformance(ctx: StorageContext): void {
  it('redelivers a message whose visibility timeout ran out, with a higher receive count', async () => {
    await store(ctx).createQueue(queueSpec('q'));
    await store(ctx).send('q', [message('a')]);
    const [first] = await store(ctx).receive('q', { max: 1, visibilityMs: 10_000 });
    expect(await store(ctx).nextVisibleAt('q')).toBe(ctx.clock.now() + 10_000);
    await ctx.clock.advance(9_999);
    expect(await bodies(ctx, 'q')).toEqual([]);
    await ctx.clock.advance(1);
    const [again] = await store(ctx).receive('q', { max: 1, visibilityMs: 10_000 });
    expect(again).toMatchObject({ id: first?.id, receiveCount: 2 });
  });

  it('changes the visibility of a message in flight, back to visible with zero', async () => {
    await store(ctx).createQueue(queueSpec('q'));
    await store(ctx).send('q', [message('a'), message('b')]);
    const [a, b] = await store(ctx).receive('q', { max: 2, visibilityMs: 10_000 });
    const heard: string[] = [];
    const stop = store(ctx).onAvailable((queue) => heard.push(queue));
    expect(await store(ctx).changeVisibility('q', [{ receipt: a?.receipt ?? '', visibilityMs: 0 }, { receipt: b?.receipt ?? '', visibilityMs: 60_000 }])).toEqual(['ok', 'ok']);
    stop();
    expect(heard).toEqual(['q']);
    expect(await bodies(ctx, 'q', 10, 120_000)).toEqual(['a']);
    await ctx.clock.advance(30_000);
    expect(await bodies(ctx, 'q')).toEqual([]);
    await ctx.clock.advance(30_000);
    expect(await bodies(ctx, 'q')).toEqual(['b']);
  });

  it('reports a deleted message as gone and leaves a visible one as it is', async () => {
    await store(ctx).createQueue(queueSpec('q'));
    await store(ctx).send('q', [message('a'), message('b')]);
    const [a, b] = await store(ctx).receive('q', { max: 2, visibilityMs: 1000 });
    await store(ctx).delete('q', [a?.receipt ?? '']);
    await ctx.clock.advance(1000);
    const results = await store(ctx).changeVisibility('q', [
      { receipt: a?.receipt ?? '', visibilityMs: 5000 },
      { receipt: b?.receipt ?? '', visibilityMs: 5000 },
      { receipt: 'bogus', visibilityMs: 5000 },
    ]);
    expect(results).toEqual(['gone', 'ok', 'invalid']);
    expect(await bodies(ctx, 'q')).toEqual(['b']);
  });

  it('receives with a zero visibility timeout without returning a message twice in one answer', async () => {
    await store(ctx).createQueue(queueSpec('q'));
    await store(ctx).send('q', [message('a'), message('b')]);
    expect(await bodies(ctx, 'q', 10, 0)).toEqual(['a', 'b']);
    expect(await bodies(ctx, 'q', 10, 0)).toEqual(['a', 'b']);
  });
}

function redriveConformance(ctx: StorageContext): void {
  it('moves a message received maxReceiveCount times to the dead-letter queue on its next receive', async () => {
    await store(ctx).createQueue(queueSpec('dlq'));
    await store(ctx).createQueue(queueSpec('q', { deadLetter: { queue: 'dlq', maxReceiveCount: 2 } }));
    const [sent] = await store(ctx).send('q', [message('poison', { attributes: 'attrs' })]);
    const sentAt = ctx.clock.now();
    const heard: string[] = [];
    const stop = store(ctx).onAvailable((queue) => heard.push(queue));
    for (let i = 0; i < 2; i++) {
      expect(await bodies(ctx, 'q', 10, 1000)).toEqual(['poison']);
      await ctx.clock.advance(1000);
    }
    expect(await bodies(ctx, 'q')).toEqual([]);
    stop();
    expect(heard).toEqual(['dlq']);
    expect(await store(ctx).counts('q')).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    const [dead] = await store(ctx).receive('dlq', { max: 10, visibilityMs: 1000 });
    expect(dead).toMatchObject({ id: sent?.id, body: 'poison', attributes: 'attrs', sentAt, receiveCount: 3, deadLetterSource: 'q' });
  });

  it('delivers normally when the dead-letter queue does not exist', async () => {
    await store(ctx).createQueue(queueSpec('q', { deadLetter: { queue: 'missing', maxReceiveCount: 1 } }));
    await store(ctx).send('q', [message('a')]);
    expect(await bodies(ctx, 'q', 10, 0)).toEqual(['a']);
    expect(await bodies(ctx, 'q', 10, 0)).toEqual(['a']);
  });
}

function fifoConformance(ctx: StorageContext): void {
  const fifo = () => store(ctx).createQueue(queueSpec('q.fifo'));
  const inGroup = (group: string, ...names: string[]) => names.map((b) => message(b, { groupId: group, deduplicationId: `${group}-${b}` }));

  it('delivers a group in order and locks it while one of its messages is in flight', async () => {
    await fifo();
    await store(ctx).send('q.fifo', [...inGroup('g', '1', '2', '3'), ...inGroup('h', 'x')]);
    const [one] = await store(ctx).receive('q.fifo', { max: 1, visibilityMs: VISIBILITY });
    expect(one?.body).toBe('1');
    expect(await bodies(ctx, 'q.fifo')).toEqual(['x']);
    expect(await bodies(ctx, 'q.fifo')).toEqual([]);
    await store(ctx).delete('q.fifo', [one?.receipt ?? '']);
    expect(await bodies(ctx, 'q.fifo')).toEqual(['2', '3']);
  });

  it('fills an answer from as few groups as possible, oldest group first', async () => {
    await fifo();
    await store(ctx).send('q.fifo', [...inGroup('a', 'a1'), ...inGroup('b', 'b1', 'b2')]);
    await store(ctx).send('q.fifo', inGroup('a', 'a2', 'a3'));
    expect(await bodies(ctx, 'q.fifo', 4)).toEqual(['a1', 'a2', 'a3', 'b1']);
  });

  it('redelivers the same head when its visibility runs out, before anything later in the group', async () => {
    await fifo();
    await store(ctx).send('q.fifo', inGroup('g', '1', '2'));
    const [first] = await store(ctx).receive('q.fifo', { max: 1, visibilityMs: 1000 });
    await ctx.clock.advance(1000);
    const again = await store(ctx).receive('q.fifo', { max: 10, visibilityMs: 1000 });
    expect(again.map((m) => [m.body, m.receiveCount])).toEqual([
      ['1', 2],
      ['2', 1],
    ]);
    expect(again[0]?.sequence).toBe(first?.sequence);
    expect(again[1]?.sequence).toBeGreaterThan(first?.sequence ?? Infinity);
  });

  it('keeps the group locked after a zero visibility receive only until that receive answered', async () => {
    await fifo();
    await store(ctx).send('q.fifo', inGroup('g', '1', '2'));
    expect(await bodies(ctx, 'q.fifo', 10, 0)).toEqual(['1', '2']);
    expect(await bodies(ctx, 'q.fifo', 10, 0)).toEqual(['1', '2']);
  });

  it('accepts a repeated deduplication key within the window without storing it again', async () => {
    await fifo();
    const [first] = await store(ctx).send('q.fifo', [message('a', { groupId: 'g', deduplicationId: 'k' })]);
    const [received] = await store(ctx).receive('q.fifo', { max: 1, visibilityMs: VISIBILITY });
    await store(ctx).delete('q.fifo', [received?.receipt ?? '']);
    await ctx.clock.advance(FIFO_DEDUPLICATION_WINDOW_MS - 1);
    const [again] = await store(ctx).send('q.fifo', [message('a again', { groupId: 'g', deduplicationId: 'k' })]);
    expect(again).toEqual({ id: first?.id, sequence: first?.sequence, duplicate: true });
    expect(await bodies(ctx, 'q.fifo')).toEqual([]);
    await ctx.clock.advance(1);
    const [late] = await store(ctx).send('q.fifo', [message('after the window', { groupId: 'g', deduplicationId: 'k' })]);
    expect(late?.duplicate).toBe(false);
    expect(late?.sequence).toBeGreaterThan(first?.sequence ?? Infinity);
    expect(await bodies(ctx, 'q.fifo')).toEqual(['after the window']);
  });

  it('deduplicates within one batch and by the explicit key when one is given', async () => {
    await fifo();
    const sent = await store(ctx).send('q.fifo', [
      message('a', { groupId: 'g1', deduplicationId: 'same', deduplicationKey: 'g1:same' }),
      message('b', { groupId: 'g2', deduplicationId: 'same', deduplicationKey: 'g2:same' }),
      message('c', { groupId: 'g1', deduplicationId: 'same', deduplicationKey: 'g1:same' }),
    ]);
    expect(sent.map((s) => s.duplicate)).toEqual([false, false, true]);
    expect(sent[2]?.id).toBe(sent[0]?.id);
    const received = await store(ctx).receive('q.fifo', { max: 10, visibilityMs: VISIBILITY });
    expect(received.map((m) => [m.body, m.deduplicationId]).sort()).toEqual([
      ['a', 'same'],
      ['b', 'same'],
    ]);
  });

  it('refuses a stale or expired receipt handle on a FIFO queue', async () => {
    await fifo();
    await store(ctx).send('q.fifo', inGroup('g', '1'));
    const [first] = await store(ctx).receive('q.fifo', { max: 1, visibilityMs: 1000 });
    await ctx.clock.advance(1000);
    expect(await store(ctx).delete('q.fifo', [first?.receipt ?? ''])).toEqual(['expired']);
    expect(await store(ctx).changeVisibility('q.fifo', [{ receipt: first?.receipt ?? '', visibilityMs: 10 }])).toEqual(['expired']);
    const [second] = await store(ctx).receive('q.fifo', { max: 1, visibilityMs: 1000 });
    expect(await store(ctx).delete('q.fifo', [first?.receipt ?? ''])).toEqual(['expired']);
    expect(await store(ctx).changeVisibility('q.fifo', [{ receipt: second?.receipt ?? '', visibilityMs: 5000 }])).toEqual(['ok']);
    await ctx.clock.advance(4000);
    expect(await bodies(ctx, 'q.fifo')).toEqual([]);
    expect(await store(ctx).delete('q.fifo', [second?.receipt ?? ''])).toEqual(['ok']);
    expect(await store(ctx).delete('q.fifo', [second?.receipt ?? ''])).toEqual(['ok']);
  });

  it('wakes receivers when deleting a FIFO message unlocks its group', async () => {
    await fifo();
    await store(ctx).send('q.fifo', inGroup('g', '1', '2'));
    const [one] = await store(ctx).receive('q.fifo', { max: 1, visibilityMs: VISIBILITY });
    const heard: string[] = [];
    const stop = store(ctx).onAvailable((queue) => heard.push(queue));
    await store(ctx).delete('q.fifo', [one?.receipt ?? '']);
    stop();
    expect(heard).toEqual(['q.fifo']);
  });

  it('moves a FIFO message to a FIFO dead-letter queue in group order', async () => {
    await store(ctx).createQueue(queueSpec('dlq.fifo'));
    await store(ctx).createQueue(queueSpec('q.fifo', { deadLetter: { queue: 'dlq.fifo', maxReceiveCount: 1 } }));
    await store(ctx).send('q.fifo', inGroup('g', '1', '2'));
    expect(await bodies(ctx, 'q.fifo', 1, 1000)).toEqual(['1']);
    await ctx.clock.advance(1000);
    const next = await store(ctx).receive('q.fifo', { max: 10, visibilityMs: 1000 });
    expect(next.map((m) => m.body)).toEqual(['2']);
    const dead = await store(ctx).receive('dlq.fifo', { max: 10, visibilityMs: 1000 });
    expect(dead.map((m) => [m.body, m.groupId, m.deadLetterSource])).toEqual([['1', 'g', 'q.fifo']]);
  });

  it('refuses a FIFO message without a group', async () => {
    await fifo();
    await expectFlintError(store(ctx).send('q.fifo', [message('a')]), 'INVALID_PARAMETER');
  });
}

function lifecycleConformance(ctx: StorageContext): void {
  it('keeps queues, messages, receive counts and receipt handles across a reopen', async () => {
    await store(ctx).createQueue(queueSpec('q', { tags: { k: 'v' } }));
    await store(ctx).createQueue(queueSpec('q.fifo'));
    await store(ctx).send('q', [message('a'), message('b')]);
    await store(ctx).send('q.fifo', [message('f', { groupId: 'g', deduplicationId: 'd' })]);
    const [a] = await store(ctx).receive('q', { max: 1, visibilityMs: VISIBILITY });
    const reopened = await ctx.reopen();
    expect((await reopened.messages.getQueue('q'))?.tags).toEqual({ k: 'v' });
    expect(await reopened.messages.counts('q')).toEqual({ visible: 1, inFlight: 1, delayed: 0 });
    expect(await reopened.messages.delete('q', [a?.receipt ?? ''])).toEqual(['ok']);
    expect((await reopened.messages.send('q.fifo', [message('f again', { groupId: 'g', deduplicationId: 'd' })]))[0]?.duplicate).toBe(true);
    expect((await reopened.messages.receive('q.fifo', { max: 10, visibilityMs: 0 })).map((m) => m.body)).toEqual(['f']);
    await ctx.clock.advance(VISIBILITY);
    expect((await reopened.messages.receive('q', { max: 10, visibilityMs: 0 })).map((m) => m.body)).toEqual(['b']);
  });
}
