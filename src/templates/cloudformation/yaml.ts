/**
 * Reading a CloudFormation template (YAML or JSON) into plain values, with the short-form tags (`!Ref X`,
 * `!GetAtt A.B`, `!Sub ...`) turned into their long forms (`{ Ref: X }`, `{ 'Fn::GetAtt': [A, B] }`) as
 * CloudFormation reads them (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html),
 * and a way back from a path in the template to its line for messages.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { TemplateProblems } from './problems.js';

/** Short-form tags and the function each stands for; `!Ref` and `!Condition` keep their own names. */
const SHORT_FORMS = [
  'Ref', 'Condition', 'GetAtt', 'Sub', 'Join', 'Select', 'Split', 'If', 'FindInMap', 'ImportValue', 'Equals', 'And', 'Or', 'Not',
  'Base64', 'GetAZs', 'Cidr', 'Length', 'ToJsonString', 'Transform',
] as const;

/** The yaml package's custom tags: every short form on scalars, sequences and maps, left as nodes for toValue. */
const CUSTOM_TAGS = SHORT_FORMS.flatMap((name) => [
  { tag: `!${name}`, resolve: (value: string) => value },
  { tag: `!${name}`, collection: 'seq' as const, resolve: (value: unknown) => value },
  { tag: `!${name}`, collection: 'map' as const, resolve: (value: unknown) => value },
]);

export interface Position {
  line: number;
  column: number;
}

export interface ParsedTemplate {
  file: string;
  value: unknown;
  /** Where a path of keys (["Resources", "Orders", "Properties"]) is written; the nearest parent that is. */
  locate(path: readonly PropertyKey[]): Position;
}

/** Parses template text; YAML errors and unknown tags are reported with their lines. */
export function parseTemplateText(text: string, file: string): ParsedTemplate {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, customTags: CUSTOM_TAGS, uniqueKeys: true, prettyErrors: false });
  const problems = new TemplateProblems(file);
  for (const error of doc.errors) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    problems.add({ line, column: col }, '', `invalid YAML: ${error.message.split('\n')[0] ?? ''}`);
  }
  problems.throwIfAny();
  const report: Report = (node, message) => {
    const { line, col } = lineCounter.linePos(node.range?.[0] ?? 0);
    problems.add({ line, column: col }, '', message);
  };
  const walk: Walk = { doc, report, nodesLeft: nodeBudget(text), resolving: new Set(), targets: new Map() };
  let value: unknown;
  try {
    value = toValue(doc.contents, walk);
  } catch (error) {
    if (!(error instanceof AliasBomb)) throw error;
    report(error.node, `YAML aliases here expand past ${nodeBudget(text)} values (an alias bomb?): write the values out instead`);
  }
  problems.throwIfAny();
  return { file, value, locate: (path) => locate(doc, lineCounter, path) };
}

type Report = (node: Node, message: string) => void;

/** One conversion: the document, where problems go, and how far aliases may still expand. */
interface Walk {
  doc: Document;
  report: Report;
  /** Values left to produce: a template without aliases has fewer values than characters; aliases may add a lot, not a billion. */
  nodesLeft: number;
  /** Aliased nodes being converted now: an alias to one of them is a cycle. */
  resolving: Set<unknown>;
  /** Each alias's node, looked up once (the yaml package searches the whole document for an anchor). */
  targets: Map<unknown, unknown>;
}

class AliasBomb extends Error {
  constructor(readonly node: Node) {
    super('YAML aliases expand too far');
  }
}

function nodeBudget(text: string): number {
  return 100_000 + 10 * text.length;
}

function toValue(node: unknown, walk: Walk): unknown {
  if (--walk.nodesLeft < 0) throw new AliasBomb(node as Node);
  if (isAlias(node)) {
    let target = walk.targets.get(node);
    if (target === undefined) {
      target = node.resolve(walk.doc);
      walk.targets.set(node, target);
    }
    if (walk.resolving.has(target)) {
      walk.report(node, `the alias *${node.source} refers to a value that contains it`);
      return null;
    }
    walk.resolving.add(target);
    try {
      return toValue(target, walk);
    } finally {
      walk.resolving.delete(target);
    }
  }
  const { report } = walk;
  const plain = plainValue(node, walk);
  const tag = (node as Node | null | undefined)?.tag;
  if (tag === undefined || !tag.startsWith('!')) return plain;
  const name = tag.slice(1);
  if (!(SHORT_FORMS as readonly string[]).includes(name)) {
    report(node as Node, `unknown tag ${tag}: CloudFormation's short forms are ${SHORT_FORMS.map((s) => `!${s}`).join(', ')}`);
    return plain;
  }
  if (name === 'Ref' || name === 'Condition') return { [name]: plain };
  // `!GetAtt Resource.Attribute` splits at the first dot, as CloudFormation does.
  if (name === 'GetAtt' && typeof plain === 'string') {
    const dot = plain.indexOf('.');
    return { 'Fn::GetAtt': dot < 0 ? [plain] : [plain.slice(0, dot), plain.slice(dot + 1)] };
  }
  return { [`Fn::${name}`]: plain };
}

function plainValue(node: unknown, walk: Walk): unknown {
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      out[key] = toValue(pair.value, walk);
    }
    return out;
  }
  if (isSeq(node)) return node.items.map((item) => toValue(item, walk));
  if (isScalar(node)) return node.value;
  return node ?? null;
}

function locate(doc: Document, lineCounter: LineCounter, path: readonly PropertyKey[]): Position {
  let node: unknown = doc.contents;
  let offset = (node as Node | null)?.range?.[0] ?? 0;
  for (const segment of path) {
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (pair === undefined) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      next = pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
      next = node.items[segment];
      offset = (next as Node).range?.[0] ?? offset;
    } else break;
    node = next;
  }
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}
