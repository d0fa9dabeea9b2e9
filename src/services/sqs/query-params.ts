import type { Shape, Struct } from './shapes.js';

/**
 * Decodes query-protocol parameters (`Attribute.1.Name=…`, `SendMessageBatchRequestEntry.2.MessageBody=…`) into
 * the structure the JSON protocol sends, so one validation and one implementation serve both protocols. The dotted
 * keys are first folded into a tree, so decoding is linear in the number of parameters.
 */
interface Node {
  value?: string;
  children?: Map<string, Node>;
}

export function decodeParams(params: Iterable<[string, string]>, shape: Struct): Record<string, unknown> {
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
  return decodeStruct(root, shape);
}

function decodeStruct(node: Node | undefined, shape: Struct): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!node?.children) return out;
  const wireNames = wireNamesOf(shape);
  for (const [segment, child] of node.children) {
    const member = wireNames.get(segment);
    if (member) out[member.name] = member.shape.kind === 'list' ? decodeList(child, member.shape) : decodeMap(child, member.shape);
    else if (child.value !== undefined) out[segment] = child.value;
  }
  return out;
}

function decodeList(node: Node, shape: Extract<Shape, { kind: 'list' }>): unknown[] {
  return indexed(node).map((item) => (shape.of ? decodeStruct(item, shape.of) : (item.value ?? '')));
}

function decodeMap(node: Node, shape: Extract<Shape, { kind: 'map' }>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const entry of indexed(node)) {
    const key = entry.children?.get(shape.key)?.value;
    if (key === undefined) continue;
    const value = entry.children?.get(shape.value);
    out[key] = shape.of ? decodeStruct(value, shape.of) : (value?.value ?? '');
  }
  return out;
}

/** The numbered children (1, 2, …) in number order. */
function indexed(node: Node): Node[] {
  if (!node.children) return [];
  return [...node.children.entries()]
    .filter(([index]) => /^\d+$/.test(index))
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, child]) => child);
}

/** Lists and maps appear on the wire under their element name (`Attribute`), not their member name (`Attributes`). */
function wireNamesOf(shape: Struct): Map<string, { name: string; shape: Shape }> {
  return new Map(Object.entries(shape).map(([name, member]) => [member.kind === 'list' ? member.item : member.entry, { name, shape: member }]));
}
