import type { Member, Shape, ShapeRef, ServiceModel, TimestampFormat } from './model.js';
import { formatTimestamp, parseTimestamp } from './timestamps.js';
import { escapeXml, type XmlElement } from './xml.js';

/**
 * Model-driven conversion between XML and typed values, for rest-xml bodies and the query and EC2 protocols'
 * responses. Element names come from `locationName` (else the member name); lists are wrapped in `<member>`
 * elements (or the member's own name) unless flattened; maps are `<entry><key/><value/></entry>` unless flattened;
 * `xmlAttribute` members are attributes; timestamps are ISO 8601 unless the model says otherwise.
 */

export class XmlValueError extends Error {
  constructor(readonly path: string) {
    super(`the XML value at ${path} does not match the model`);
  }
}

/** How a service writes its documents where the model does not say. */
export interface XmlWriting {
  /** Escapes text (see xmlEscaper); escapeXml when absent. */
  escape?: (value: string) => string;
  /** Members of a shape in the order the service writes them, where that is not the model's order. */
  memberOrder?: Readonly<Record<string, readonly string[]>>;
}

export class XmlValues {
  private readonly escape: (value: string) => string;
  /** Members of the shapes in `writing.memberOrder`, sorted once. */
  private readonly reordered = new Map<string, Member[]>();

  /**
   * `legacyQuery`: prefer the query traits a service that moved to JSON keeps from its older model (SQS's query
   * clients name attributes `Attribute.N.Name`, its JSON model no longer says so).
   */
  constructor(
    private readonly model: ServiceModel,
    private readonly legacyQuery = false,
    private readonly writing: XmlWriting = {},
  ) {
    this.escape = writing.escape ?? escapeXml;
  }

  /** The element name of a member (or list member, map key or value). */
  nameOf(ref: ShapeRef, fallback: string, shape?: Shape): string {
    const legacy = this.legacyQuery ? (ref.query?.locationName ?? shape?.query?.locationName) : undefined;
    return legacy ?? ref.locationName ?? shape?.locationName ?? fallback;
  }

  flattened(ref: ShapeRef | undefined, shape: Shape): boolean {
    if (this.legacyQuery) return Boolean(ref?.query?.flattened ?? shape.query?.flattened ?? ref?.flattened ?? shape.flattened);
    return Boolean(ref?.flattened ?? shape.flattened);
  }

  /** Elements of a flattened list repeat under the list member's name when it has one, as AWS's parsers read them. */
  private flatName(shape: Shape, name: string): string {
    return shape.type === 'list' ? this.nameOf(shape.member!, name) : name;
  }

  // ---- reading ----

  /** Reads the element of a structure (or any shape) into a typed value. */
  read(shapeName: string, element: XmlElement, path = element.name): unknown {
    const shape = this.model.shape(shapeName);
    switch (shape.type) {
      case 'structure':
        return this.readStructure(shapeName, element, path);
      case 'list':
        return this.readListItems(shape, element.children.filter((c) => c.name === this.nameOf(shape.member!, 'member')), path);
      case 'map':
        return this.readMapEntries(shape, element.children.filter((c) => c.name === 'entry'), path);
      default:
        return this.scalar(shape, element.text, path);
    }
  }

  private readStructure(shapeName: string, element: XmlElement, path: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const member of this.model.members(shapeName)) {
      if (member.ref.location !== undefined) continue;
      const name = this.nameOf(member.ref, member.name, member.shape);
      const inner = `${path}.${name}`;
      if (member.ref.xmlAttribute) {
        const attribute = element.attributes[name.includes(':') ? name.slice(name.indexOf(':') + 1) : name];
        if (attribute !== undefined) out[member.name] = this.scalar(member.shape, attribute, inner);
        continue;
      }
      if (this.flattened(member.ref, member.shape) && (member.shape.type === 'list' || member.shape.type === 'map')) {
        const items = element.children.filter((c) => c.name === name || c.name === this.flatName(member.shape, name));
        if (items.length === 0) continue;
        out[member.name] = member.shape.type === 'list' ? this.readListItems(member.shape, items, inner) : this.readMapEntries(member.shape, items, inner);
        continue;
      }
      const child = element.children.find((c) => c.name === name);
      if (child) out[member.name] = this.read(member.shapeName, child, inner);
    }
    return out;
  }

  private readListItems(shape: Shape, items: XmlElement[], path: string): unknown[] {
    const element = shape.member!.shape;
    return items.map((item, i) => this.read(element, item, `${path}.${i + 1}`));
  }

  private readMapEntries(shape: Shape, entries: XmlElement[], path: string): Record<string, unknown> {
    const keyName = this.nameOf(shape.key!, 'key');
    const valueName = this.nameOf(shape.value!, 'value');
    const out: Record<string, unknown> = {};
    for (const entry of entries) {
      const key = entry.children.find((c) => c.name === keyName)?.text;
      const value = entry.children.find((c) => c.name === valueName);
      if (key === undefined || value === undefined) throw new XmlValueError(path);
      out[key] = this.read(shape.value!.shape, value, `${path}.${key}`);
    }
    return out;
  }

  /** A scalar from its text (element content, attribute, header or query value). */
  scalar(shape: Shape, text: string, path: string): unknown {
    switch (shape.type) {
      case 'string':
        return text;
      case 'boolean':
        if (text === 'true') return true;
        if (text === 'false') return false;
        throw new XmlValueError(path);
      case 'integer':
      case 'long': {
        const value = Number(text.trim());
        if (text.trim() === '' || !Number.isInteger(value)) throw new XmlValueError(path);
        return value;
      }
      case 'float':
      case 'double':
      case 'bigdecimal':
      case 'biginteger': {
        const value = Number(text.trim());
        if (text.trim() === '' || Number.isNaN(value)) throw new XmlValueError(path);
        return value;
      }
      case 'timestamp': {
        const value = parseTimestamp(text);
        if (!value) throw new XmlValueError(path);
        return value;
      }
      case 'blob':
        return Buffer.from(text, 'base64');
      default:
        return text;
    }
  }

  // ---- writing ----

  /** The content (children) of a structure's element; attributes are returned apart. */
  writeMembers(shapeName: string, value: Record<string, unknown>): { attributes: string; content: string } {
    let attributes = '';
    let content = '';
    for (const member of this.ordered(shapeName)) {
      if (member.ref.location !== undefined) continue;
      const inner = value[member.name];
      if (inner === undefined || inner === null) continue;
      const name = this.nameOf(member.ref, member.name, member.shape);
      if (member.ref.xmlAttribute) {
        attributes += ` ${name}="${this.escape(this.text(member.shape, inner, member.ref.timestampFormat))}"`;
        continue;
      }
      content += this.writeMember(member.ref, member.shape, name, inner);
    }
    return { attributes, content };
  }

  /** One member: its element (or elements, when flattened). */
  writeMember(ref: ShapeRef, shape: Shape, name: string, value: unknown): string {
    const flattened = this.flattened(ref, shape);
    if (shape.type === 'list') {
      const items = value as unknown[];
      const itemRef = shape.member!;
      if (flattened) return items.map((item) => this.write(itemRef.shape, item, this.flatName(shape, name), itemRef)).join('');
      const itemName = this.nameOf(itemRef, 'member');
      return `<${name}${namespace(ref)}>${items.map((item) => this.write(itemRef.shape, item, itemName, itemRef)).join('')}</${name}>`;
    }
    if (shape.type === 'map') {
      const entries = Object.entries(value as Record<string, unknown>).map(([key, inner]) => this.entry(shape, key, inner));
      if (flattened) return entries.map((entry) => `<${name}>${entry}</${name}>`).join('');
      return `<${name}${namespace(ref)}>${entries.map((entry) => `<entry>${entry}</entry>`).join('')}</${name}>`;
    }
    return this.write(ref.shape, value, name, ref);
  }

  /** A value as the element `name`. */
  write(shapeName: string, value: unknown, name: string, ref?: ShapeRef): string {
    const shape = this.model.shape(shapeName);
    if (shape.type === 'structure') {
      const { attributes, content } = this.writeMembers(shapeName, value as Record<string, unknown>);
      return `<${name}${namespace(ref, shape)}${attributes}>${content}</${name}>`;
    }
    if (shape.type === 'list' || shape.type === 'map') return this.writeMember(ref ?? { shape: shapeName }, shape, name, value);
    return `<${name}${namespace(ref, shape)}>${this.escape(this.text(shape, value, ref?.timestampFormat))}</${name}>`;
  }

  private entry(shape: Shape, key: string, value: unknown): string {
    const keyName = this.nameOf(shape.key!, 'key');
    const valueName = this.nameOf(shape.value!, 'value');
    return `<${keyName}>${this.escape(key)}</${keyName}>${this.write(shape.value!.shape, value, valueName, shape.value)}`;
  }

  /** A structure's members in the order the service writes them. */
  private ordered(shapeName: string): Member[] {
    const order = this.writing.memberOrder?.[shapeName];
    if (!order) return this.model.members(shapeName);
    let members = this.reordered.get(shapeName);
    if (!members) {
      const rank = (member: Member): number => {
        const at = order.indexOf(member.name);
        return at < 0 ? order.length : at;
      };
      members = [...this.model.members(shapeName)].sort((a, b) => rank(a) - rank(b));
      this.reordered.set(shapeName, members);
    }
    return members;
  }

  /** A scalar as text (element content, attribute, header or query value). */
  text(shape: Shape, value: unknown, format?: TimestampFormat): string {
    if (shape.type === 'timestamp') return String(formatTimestamp(value, format ?? shape.timestampFormat ?? 'iso8601'));
    if (shape.type === 'blob') return value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') : Buffer.from(String(value)).toString('base64');
    return String(value);
  }
}

function namespace(ref: ShapeRef | undefined, shape?: Shape): string {
  const ns = ref?.xmlNamespace ?? shape?.xmlNamespace;
  if (!ns) return '';
  return ns.prefix ? ` xmlns:${ns.prefix}="${escapeXml(ns.uri)}"` : ` xmlns="${escapeXml(ns.uri)}"`;
}
