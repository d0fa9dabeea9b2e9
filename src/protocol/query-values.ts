import type { Shape, ShapeRef, ServiceModel } from './model.js';
import { XmlValueError, XmlValues } from './xml-values.js';

/**
 * The query and EC2 protocols' request parameters (`Attributes.entry.1.key=…`, `Tags.member.2.Value=…`,
 * `Filter.1.Value.1=…`) read into typed values by the model. The dotted names are first folded into a tree, so
 * reading is linear in the number of parameters. Naming follows AWS's serialisers: a member goes by its
 * `locationName` (EC2: `queryName`, else the capitalised `locationName`); a list's elements are `.member.N` (the
 * list member's `locationName` instead of `member`) unless flattened (`.N`, always in EC2); a map's entries are
 * `.entry.N.key` / `.entry.N.value` (the key's and value's `locationName`s) unless flattened (`.N.key`).
 */

interface Node {
  value?: string;
  children?: Map<string, Node>;
}

export type QueryDialect = 'query' | 'ec2';

export class QueryValues {
  private readonly xml: XmlValues;

  constructor(
    private readonly model: ServiceModel,
    private readonly dialect: QueryDialect,
    /** Prefer the query traits kept from a legacy model (see XmlValues). */
    private readonly legacyQuery = false,
  ) {
    this.xml = new XmlValues(model, legacyQuery);
  }

  /** Reads the input structure from the request's parameters (Action and Version excluded by the caller). */
  read(shapeName: string, params: Iterable<[string, string]>): Record<string, unknown> {
    const root: Node = {};
    for (const [key, value] of params) {
      let node = root;
      for (const segment of key.split('.')) {
        node.children ??= new Map();
        let child = node.children.get(segment);
        if (!child) {
          child = {};
          node.children.set(segment, child);
        }
        node = child;
      }
      node.value = value;
    }
    return this.structure(shapeName, root, '');
  }

  private structure(shapeName: string, node: Node, path: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const member of this.model.members(shapeName)) {
      const name = this.memberName(member.ref, member.name, member.shape);
      const child = node.children?.get(name);
      if (!child) continue;
      const value = this.value(member.ref, member.shapeName, member.shape, child, path ? `${path}.${name}` : name);
      if (value !== undefined) out[member.name] = value;
    }
    return out;
  }

  private value(ref: ShapeRef, shapeName: string, shape: Shape, node: Node, path: string): unknown {
    switch (shape.type) {
      case 'structure':
        return this.structure(shapeName, node, path);
      case 'list':
        return this.list(ref, shape, node, path);
      case 'map':
        return this.map(ref, shape, node, path);
      default:
        if (node.value === undefined) return undefined;
        try {
          return this.xml.scalar(shape, node.value, path);
        } catch (error) {
          if (error instanceof XmlValueError) throw new QueryValueError(path, shape.type, node.value);
          throw error;
        }
    }
  }

  private list(ref: ShapeRef, shape: Shape, node: Node, path: string): unknown[] {
    // An empty list is sent as the bare name with an empty value.
    if (node.value === '' && !node.children) return [];
    const itemRef = shape.member!;
    const itemShape = this.model.shape(itemRef.shape);
    const container = this.dialect === 'ec2' || this.xml.flattened(ref, shape) ? node : node.children?.get(this.xml.nameOf(itemRef, 'member'));
    return indexed(container).map(([index, item]) => this.value(itemRef, itemRef.shape, itemShape, item, `${path}.${index}`));
  }

  private map(ref: ShapeRef, shape: Shape, node: Node, path: string): Record<string, unknown> {
    const container = this.xml.flattened(ref, shape) ? node : node.children?.get('entry');
    const keyName = this.xml.nameOf(shape.key!, 'key');
    const valueName = this.xml.nameOf(shape.value!, 'value');
    const valueShape = this.model.shape(shape.value!.shape);
    const out: Record<string, unknown> = {};
    for (const [index, entry] of indexed(container)) {
      const key = entry.children?.get(keyName)?.value;
      const value = entry.children?.get(valueName);
      if (key === undefined || value === undefined) continue;
      out[key] = this.value(shape.value!, shape.value!.shape, valueShape, value, `${path}.${index}.${valueName}`);
    }
    return out;
  }

  /** The parameter name of a member: its query name (EC2) or location name, else its own name. */
  memberName(ref: ShapeRef, name: string, shape: Shape): string {
    if (this.dialect === 'ec2') {
      if (ref.queryName) return ref.queryName;
      if (ref.locationName) return ref.locationName[0]!.toUpperCase() + ref.locationName.slice(1);
      return name;
    }
    // A flattened list's parameters repeat under its element's name (SQS: Attribute.N for Attributes).
    const flatList = (shape.type === 'list' || shape.type === 'map') && this.xml.flattened(ref, shape);
    const own = this.xml.nameOf(ref, '', shape);
    if (own) return own;
    if (flatList && shape.type === 'list') return this.xml.nameOf(shape.member!, name);
    return name;
  }
}

/** A parameter whose text is not a value of its member's type ("abc" for an integer). */
export class QueryValueError extends Error {
  constructor(
    readonly path: string,
    readonly expected: Shape['type'],
    readonly text: string,
  ) {
    super(`${path}: '${text}' is not a ${expected}`);
  }
}

/** The numbered children (1, 2, …) in number order. */
function indexed(node: Node | undefined): [number, Node][] {
  if (!node?.children) return [];
  return [...node.children.entries()]
    .filter(([index]) => /^\d+$/.test(index))
    .map(([index, child]) => [Number(index), child] as [number, Node])
    .sort(([a], [b]) => a - b);
}
