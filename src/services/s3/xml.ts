import { z } from 'zod';
import { malformedXml } from './errors.js';

/**
 * The little XML S3 needs: writing responses by string building (fast, no DOM), and reading the few small request
 * documents (CreateBucketConfiguration, Delete, CompleteMultipartUpload, NotificationConfiguration) into plain
 * values that zod schemas then validate. Attributes and namespaces are ignored; S3 documents use neither.
 */

export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';
export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;' };
const NEEDS_ESCAPE = /[&<>"'\r]/;
const ESCAPE_ALL = /[&<>"'\r]/g;

export function escapeXml(value: string): string {
  return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPE_ALL, (char) => ESCAPES[char] ?? char) : value;
}

/** `<name>value</name>`, or nothing when the value is absent. */
export function el(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? '' : `<${name}>${typeof value === 'string' ? escapeXml(value) : String(value)}</${name}>`;
}

/** `<name>inner</name>` around already-built XML. */
export function wrap(name: string, inner: string): string {
  return `<${name}>${inner}</${name}>`;
}

/** A response document: the declaration and a root element in S3's namespace. */
export function xmlDocument(root: string, inner: string): string {
  return `${XML_DECLARATION}<${root} xmlns="${S3_NAMESPACE}">${inner}</${root}>`;
}

// ---- reading ------------------------------------------------------------------------------------------------------

export interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

/** An element as a plain value: its text when it has no child elements, else child name → value(s). */
export type XmlPlain = string | { [name: string]: XmlPlain | XmlPlain[] };

const NAME_END = /[\s/>]/;
const ENTITY = /&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g;
const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Parses a document into its root element; MalformedXML on anything that is not well-formed. */
export function parseXml(source: string): XmlElement {
  try {
    return new XmlReader(source).document();
  } catch (error) {
    // A character reference out of Unicode's range throws a RangeError: still just malformed input.
    if (error instanceof RangeError) throw malformedXml();
    throw error;
  }
}

/** Parses a request body and returns its root element's name and plain value. */
export function readXml(body: Buffer): { root: string; value: XmlPlain } {
  const root = parseXml(body.toString('utf8'));
  return { root: root.name, value: toPlain(root) };
}

export function toPlain(element: XmlElement): XmlPlain {
  if (element.children.length === 0) return element.text;
  const out: { [name: string]: XmlPlain | XmlPlain[] } = {};
  for (const child of element.children) {
    const value = toPlain(child);
    const existing = out[child.name];
    if (existing === undefined) out[child.name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else out[child.name] = [existing, value];
  }
  return out;
}

/** A repeated element: absent → [], one → [it], several → them. */
export function xmlList<T extends z.ZodType>(item: T) {
  return z.preprocess((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]), z.array(item));
}

/** A container element that may be empty (`<Filter/>` reads as ''). */
export function xmlObject<T extends z.ZodRawShape>(shape: T) {
  return z.preprocess((value) => (value === '' ? {} : value), z.object(shape));
}

class XmlReader {
  private at = 0;

  constructor(private readonly source: string) {}

  document(): XmlElement {
    this.skipMisc();
    if (this.source[this.at] !== '<') throw malformedXml();
    const root = this.element();
    this.skipMisc();
    if (this.at < this.source.length) throw malformedXml();
    return root;
  }

  /** Reads one element and everything inside it, iteratively so deep nesting cannot exhaust the stack. */
  private element(): XmlElement {
    const stack: XmlElement[] = [];
    let root: XmlElement | undefined;
    do {
      const open = this.openTag();
      const parent = stack.at(-1);
      if (parent) parent.children.push(open.element);
      else root = open.element;
      if (!open.selfClosing) stack.push(open.element);
      while (stack.length > 0 && this.content(stack)) {
        // content() closed the innermost element; keep closing or reading text until an opening tag comes.
      }
    } while (stack.length > 0);
    if (!root) throw malformedXml();
    return root;
  }

  /** Reads text, comments and CDATA of the innermost open element; true if it then closed it. */
  private content(stack: XmlElement[]): boolean {
    const current = stack.at(-1)!;
    for (;;) {
      const next = this.source.indexOf('<', this.at);
      if (next < 0) throw malformedXml();
      if (next > this.at) current.text += decodeEntities(this.source.slice(this.at, next));
      this.at = next;
      if (this.source.startsWith('<!--', this.at)) this.skipPast('-->');
      else if (this.source.startsWith('<![CDATA[', this.at)) {
        const end = this.source.indexOf(']]>', this.at);
        if (end < 0) throw malformedXml();
        current.text += this.source.slice(this.at + 9, end);
        this.at = end + 3;
      } else if (this.source.startsWith('</', this.at)) {
        const end = this.source.indexOf('>', this.at);
        if (end < 0 || localName(this.source.slice(this.at + 2, end).trim()) !== current.name) throw malformedXml();
        this.at = end + 1;
        stack.pop();
        return true;
      } else return false;
    }
  }

  private openTag(): { element: XmlElement; selfClosing: boolean } {
    this.at++;
    const rest = this.source.slice(this.at);
    const nameLength = rest.search(NAME_END);
    if (nameLength <= 0) throw malformedXml();
    const name = localName(rest.slice(0, nameLength));
    this.at += nameLength;
    const end = this.tagEnd();
    const selfClosing = this.source[end - 1] === '/';
    this.at = end + 1;
    return { element: { name, children: [], text: '' }, selfClosing };
  }

  /** The index of the '>' ending the current tag, skipping quoted attribute values. */
  private tagEnd(): number {
    let quote: string | undefined;
    for (let i = this.at; i < this.source.length; i++) {
      const char = this.source[i];
      if (quote) {
        if (char === quote) quote = undefined;
      } else if (char === '"' || char === "'") quote = char;
      else if (char === '>') return i;
      else if (char === '<') break;
    }
    throw malformedXml();
  }

  private skipMisc(): void {
    for (;;) {
      while (this.at < this.source.length && /\s|\uFEFF/.test(this.source[this.at]!)) this.at++;
      if (this.source.startsWith('<?', this.at)) this.skipPast('?>');
      else if (this.source.startsWith('<!--', this.at)) this.skipPast('-->');
      else if (this.source.startsWith('<!', this.at)) this.skipPast('>');
      else return;
    }
  }

  private skipPast(marker: string): void {
    const end = this.source.indexOf(marker, this.at);
    if (end < 0) throw malformedXml();
    this.at = end + marker.length;
  }
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  const decoded = text.replace(ENTITY, (_, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
    return NAMED_ENTITIES[entity] ?? '';
  });
  if (decoded.includes('&') && /&(?!amp;|lt;|gt;|quot;|apos;|#)/.test(text)) throw malformedXml();
  return decoded;
}
