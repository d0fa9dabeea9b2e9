import { EventStreamCodec } from '@smithy/core/event-streams';
import { describe, expect, it } from 'vitest';
import { eventStreamEvent, eventStreamMessage } from '../../src/protocol/index.js';

/** The AWS SDK's own event-stream decoder (it checks both CRCs) reads what the kit writes. */
const codec = new EventStreamCodec(
  (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8'),
  (text: string) => Buffer.from(text, 'utf8'),
);

describe('event-stream messages', () => {
  it('are read back by the SDK decoder, headers and payload intact', () => {
    const message = codec.decode(eventStreamMessage({ ':message-type': 'event', 'x-ünïcode': 'välue' }, Buffer.from('payload')));
    expect(message.headers).toEqual({ ':message-type': { type: 'string', value: 'event' }, 'x-ünïcode': { type: 'string', value: 'välue' } });
    expect(Buffer.from(message.body).toString()).toBe('payload');
  });

  it('carry a modelled event as JSON with its event type', () => {
    const message = codec.decode(eventStreamEvent('sessionStart', { sessionId: 's1' }));
    expect(message.headers[':event-type']?.value).toBe('sessionStart');
    expect(message.headers[':content-type']?.value).toBe('application/json');
    expect(JSON.parse(Buffer.from(message.body).toString())).toEqual({ sessionId: 's1' });
  });

  it('with an empty payload and no headers are still whole messages', () => {
    const bytes = eventStreamMessage({}, new Uint8Array());
    expect(bytes.length).toBe(16);
    expect(codec.decode(bytes).body.length).toBe(0);
  });
});
