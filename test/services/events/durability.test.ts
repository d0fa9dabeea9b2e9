import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureQueue } from '../../../src/services/sqs/index.js';
import { EventsHarness, queueArn } from '../../events/harness.js';

/**
 * PutEvents answers once its deliveries are stored: a node closed right after the answer, and started again on the
 * same data, still delivers the event, once.
 */
describe('EventBridge deliveries across a restart', () => {
  let h: EventsHarness;
  beforeEach(async () => {
    h = await EventsHarness.open();
  });
  afterEach(async () => {
    await h.close();
  });

  const call = async (operation: string, input: unknown): Promise<Record<string, unknown>> => {
    const response = await h.node.request({
      method: 'POST',
      path: '/',
      headers: { 'x-amz-target': `AWSEvents.${operation}`, 'content-type': 'application/x-amz-json-1.1' },
      body: JSON.stringify(input),
    });
    expect(response.status, JSON.stringify(response.json())).toBe(200);
    return response.json<Record<string, unknown>>();
  };

  it('delivers an accepted event after the node restarts', async () => {
    await ensureQueue(h.storage.messages, { name: 'out', fifo: false, visibilityTimeout: 30 });
    await call('PutRule', { Name: 'r', EventPattern: '{"source": ["app"]}' });
    await call('PutTargets', { Rule: 'r', Targets: [{ Id: 'q', Arn: queueArn('out') }] });
    const put = await call('PutEvents', { Entries: [{ Source: 'app', DetailType: 't', Detail: '{"n": 1}' }] });
    expect(put.FailedEntryCount).toBe(0);
    await h.closeParts();
    await h.openParts();
    await expect.poll(() => h.storage.messages.counts('out')).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
    await expect.poll(() => h.storage.queues.counts('events-deliveries')).toEqual({ available: 0, leased: 0, delayed: 0 });
  });
});
