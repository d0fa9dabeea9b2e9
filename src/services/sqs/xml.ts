import type { Struct } from './shapes.js';

/** XML responses of the query protocol. */

export const XML_NAMESPACE = 'http://queue.amazonaws.com/doc/2012-11-05/';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#xD;' };

/** Escapes text and attribute values; a carriage return is written as a reference so parsers keep it. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r]/g, (c) => ESCAPES[c] ?? c);
}

/** Writes a JSON-shaped value as the members of an XML element, following `shape` for lists and maps. */
export function writeStruct(value: Readonly<Record<string, unknown>>, shape: Struct): string {
  let out = '';
  for (const [name, member] of Object.entries(value)) {
    if (member === undefined || member === null) continue;
    const spec = shape[name];
    if (!spec) {
      out += `<${name}>${escapeXml(String(member))}</${name}>`;
    } else if (spec.kind === 'list') {
      for (const item of member as unknown[]) out += `<${spec.item}>${writeValue(item, spec.of)}</${spec.item}>`;
    } else {
      for (const [key, entry] of Object.entries(member as Record<string, unknown>)) {
        out += `<${spec.entry}><${spec.key}>${escapeXml(key)}</${spec.key}><${spec.value}>${writeValue(entry, spec.of)}</${spec.value}></${spec.entry}>`;
      }
    }
  }
  return out;
}

function writeValue(value: unknown, of: Struct | undefined): string {
  return of ? writeStruct(value as Record<string, unknown>, of) : escapeXml(String(value));
}

export function xmlResponse(operation: string, result: Readonly<Record<string, unknown>> | undefined, shape: Struct, requestId: string): string {
  const body = result === undefined ? '' : `<${operation}Result>${writeStruct(result, shape)}</${operation}Result>`;
  return `<?xml version="1.0"?><${operation}Response xmlns="${XML_NAMESPACE}">${body}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`;
}

export function xmlError(fault: string, code: string, message: string, requestId: string): string {
  return `<?xml version="1.0"?><ErrorResponse xmlns="${XML_NAMESPACE}"><Error><Type>${fault}</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message><Detail/></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}
