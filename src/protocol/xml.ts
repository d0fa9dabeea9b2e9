/**
 * The XML the AWS protocols need: writing by string building (fast, no DOM) and reading request documents into a
 * small element tree. Namespaces are dropped from names (AWS's documents are matched by local name); attributes are
 * kept by local name. Deep nesting is read iteratively, so it cannot exhaust the stack.
 */

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

const NEEDS_ESCAPE = /[&<>"'\r]/;
const ESCAPE_ALL = /[&<>"'\r]/g;

/**
 * An escaper for text and attribute values. A carriage return is written as a character reference so parsers keep
 * it; services differ in how they spell it (S3 `&#13;`, SQS and SNS `&#xD;`).
 */
export function xmlEscaper(carriageReturn = '&#13;'): (value: string) => string {
  const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': carriageReturn };
  return (value) => (NEEDS_ESCAPE.test(value) ? value.replace(ESCAPE_ALL, (char) => escapes[char] ?? char) : value);
}

export const escapeXml = xmlEscaper();

/** `<name>value</name>`, or nothing when the value is absent. */
export function xmlElement(name: string, value: string | number | boolean | undefined, escape = escapeXml): string {
  return value === undefined ? '' : `<${name}>${typeof value === 'string' ? escape(value) : String(value)}</${name}>`;
}

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** The input is not well-formed XML; each protocol reports it in its own words (S3: MalformedXML). */
export class XmlSyntaxError extends Error {
  constructor() {
    super('The XML is not well-formed');
  }
}

/** Parses a document into its root element. */
export function parseXml(source: string): XmlElement {
  try {
    return new XmlReader(source).document();
  } catch (error) {
    // A character reference out of Unicode's range throws a RangeError: still just malformed input.
    if (error instanceof RangeError) throw new XmlSyntaxError();
    throw error;
  }
}

/** The first child element of that (local) name. */
export function childNamed(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((child) => child.name === name);
}

const NAME_END = /[\s/>]/;
const ATTRIBUTE = /([^\s=/>]+)\s*=\s*("([^"]*)"|'([^']*)')/g;
const ENTITY = /&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g;
const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

class XmlReader {
  private at = 0;

  constructor(private readonly source: string) {}

  document(): XmlElement {
    this.skipMisc();
    if (this.source[this.at] !== '<') throw new XmlSyntaxError();
    const root = this.element();
    this.skipMisc();
    if (this.at < this.source.length) throw new XmlSyntaxError();
    return root;
  }

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
    if (!root) throw new XmlSyntaxError();
    return root;
  }

  /** Reads text, comments and CDATA of the innermost open element; true if it then closed it. */
  private content(stack: XmlElement[]): boolean {
    const current = stack.at(-1)!;
    for (;;) {
      const next = this.source.indexOf('<', this.at);
      if (next < 0) throw new XmlSyntaxError();
      if (next > this.at) current.text += decodeEntities(this.source.slice(this.at, next));
      this.at = next;
      if (this.source.startsWith('<!--', this.at)) this.skipPast('-->');
      else if (this.source.startsWith('<![CDATA[', this.at)) {
        const end = this.source.indexOf(']]>', this.at);
        if (end < 0) throw new XmlSyntaxError();
        current.text += this.source.slice(this.at + 9, end);
        this.at = end + 3;
      } else if (this.source.startsWith('</', this.at)) {
        const end = this.source.indexOf('>', this.at);
        if (end < 0 || localName(this.source.slice(this.at + 2, end).trim()) !== current.name) throw new XmlSyntaxError();
        this.at = end + 1;
        stack.pop();
        return true;
      } else return false;
    }
  }

  private openTag(): { element: XmlElement; selfClosing: boolean } {
    this.at++;
    const rest = this.source.slice(this.at, this.at + 512);
    const nameLength = rest.search(NAME_END);
    if (nameLength <= 0) throw new XmlSyntaxError();
    const name = localName(rest.slice(0, nameLength));
    this.at += nameLength;
    const end = this.tagEnd();
    const selfClosing = this.source[end - 1] === '/';
    const attributes = readAttributes(this.source.slice(this.at, selfClosing ? end - 1 : end));
    this.at = end + 1;
    return { element: { name, attributes, children: [], text: '' }, selfClosing };
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
    throw new XmlSyntaxError();
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
    if (end < 0) throw new XmlSyntaxError();
    this.at = end + marker.length;
  }
}

function readAttributes(text: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  if (!text.includes('=')) return attributes;
  for (const match of text.matchAll(ATTRIBUTE)) {
    const name = match[1]!;
    if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
    attributes[localName(name)] = decodeEntities(match[3] ?? match[4] ?? '');
  }
  return attributes;
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
  if (decoded.includes('&') && /&(?!amp;|lt;|gt;|quot;|apos;|#)/.test(text)) throw new XmlSyntaxError();
  return decoded;
}
