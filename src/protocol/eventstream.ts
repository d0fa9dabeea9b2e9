import { crc32 } from 'node:zlib';

/**
 * AWS's event-stream framing (application/vnd.amazon.eventstream), the smallest encoder: the responses of streaming
 * operations (CloudWatch Logs' StartLiveTail, Transcribe, Bedrock) are a sequence of these messages. A message is
 * total length, headers length and a CRC32 of those eight bytes; string headers; the payload; a CRC32 of all of it.
 */
export function eventStreamMessage(headers: Readonly<Record<string, string>>, payload: Uint8Array): Buffer {
  const encoded = Object.entries(headers).map(([name, value]) => {
    const nameBytes = Buffer.from(name, 'utf8');
    const valueBytes = Buffer.from(value, 'utf8');
    const header = Buffer.alloc(1 + nameBytes.length + 1 + 2 + valueBytes.length);
    header.writeUInt8(nameBytes.length, 0);
    nameBytes.copy(header, 1);
    header.writeUInt8(7, 1 + nameBytes.length); // 7: string
    header.writeUInt16BE(valueBytes.length, 2 + nameBytes.length);
    valueBytes.copy(header, 4 + nameBytes.length);
    return header;
  });
  const headerBytes = Buffer.concat(encoded);
  const total = 12 + headerBytes.length + payload.length + 4;
  const message = Buffer.alloc(total);
  message.writeUInt32BE(total, 0);
  message.writeUInt32BE(headerBytes.length, 4);
  message.writeUInt32BE(crc32(message.subarray(0, 8)), 8);
  headerBytes.copy(message, 12);
  Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).copy(message, 12 + headerBytes.length);
  message.writeUInt32BE(crc32(message.subarray(0, total - 4)), total - 4);
  return message;
}

/** An event of a modelled event stream: `:event-type` names the union member, the payload is its JSON document. */
export function eventStreamEvent(eventType: string, document: unknown): Buffer {
  return eventStreamMessage({ ':event-type': eventType, ':content-type': 'application/json', ':message-type': 'event' }, Buffer.from(JSON.stringify(document), 'utf8'));
}

/** A modelled error inside a stream (`:message-type: exception`), which ends it. */
export function eventStreamException(exceptionType: string, document: unknown): Buffer {
  return eventStreamMessage({ ':exception-type': exceptionType, ':content-type': 'application/json', ':message-type': 'exception' }, Buffer.from(JSON.stringify(document), 'utf8'));
}

export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';
