import type { MessageAttributes } from './message-attributes.js';

/**
 * What the service keeps with a message besides its body, in the store's opaque `attributes` column: the message
 * attributes with their MD5 (so a full receive does not hash again) and the X-Ray trace header. Messages without
 * any keep nothing, so the common path never parses JSON.
 */
export interface MessageExtras {
  attributes?: MessageAttributes;
  md5?: string;
  traceHeader?: string;
}

interface Encoded {
  a?: MessageAttributes;
  h?: string;
  t?: string;
}

export function encodeExtras(extras: MessageExtras): string | undefined {
  if (!extras.attributes && extras.traceHeader === undefined) return undefined;
  const encoded: Encoded = {};
  if (extras.attributes) {
    encoded.a = extras.attributes;
    encoded.h = extras.md5;
  }
  if (extras.traceHeader !== undefined) encoded.t = extras.traceHeader;
  return JSON.stringify(encoded);
}

const NONE: MessageExtras = {};

export function decodeExtras(stored: string | undefined): MessageExtras {
  if (stored === undefined) return NONE;
  const encoded = JSON.parse(stored) as Encoded;
  const extras: MessageExtras = {};
  if (encoded.a) extras.attributes = encoded.a;
  if (encoded.h) extras.md5 = encoded.h;
  if (encoded.t !== undefined) extras.traceHeader = encoded.t;
  return extras;
}
