/**
 * YAML with CloudFormation's short-form tags (`!Ref`, `!GetAtt`, `!Sub`, ...), read into their long form
 * (`{ Ref: x }`, `{ 'Fn::GetAtt': [a, b] }`), as serverless.yml files write them in `resources:`.
 */
import { parseDocument, type ScalarTag, type CollectionTag, type YAMLMap, type YAMLSeq } from 'yaml';
import { FlintError } from '../../core/index.js';

const FUNCTIONS = ['Base64', 'Cidr', 'FindInMap', 'GetAZs', 'ImportValue', 'Join', 'Select', 'Split', 'Sub', 'Transform', 'If', 'Equals', 'Not', 'And', 'Or', 'ToJsonString', 'Length'];

/** `!GetAtt A.B` is `['A', 'B']`; the sequence form is kept as written. */
function getAttOf(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const dot = value.indexOf('.');
  return dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
}

function tagsFor(name: string, key: string, scalar: (value: string) => unknown = (v) => v): (ScalarTag | CollectionTag)[] {
  const wrap = (value: unknown): Record<string, unknown> => ({ [key]: value });
  return [
    { tag: `!${name}`, resolve: (value: string) => wrap(scalar(value)) } satisfies ScalarTag,
    { tag: `!${name}`, collection: 'seq', resolve: (seq) => wrap((seq as YAMLSeq).toJSON()) } satisfies CollectionTag,
    { tag: `!${name}`, collection: 'map', resolve: (map) => wrap((map as YAMLMap).toJSON()) } satisfies CollectionTag,
  ];
}

const CFN_TAGS: (ScalarTag | CollectionTag)[] = [
  ...tagsFor('Ref', 'Ref'),
  ...tagsFor('Condition', 'Condition'),
  ...tagsFor('GetAtt', 'Fn::GetAtt', getAttOf),
  ...FUNCTIONS.flatMap((name) => tagsFor(name, `Fn::${name}`)),
];

/** Parses YAML (or JSON) with CloudFormation tags; `file` names it in the error. */
export function parseCfnYaml(text: string, file: string): unknown {
  const doc = parseDocument(text, { customTags: CFN_TAGS, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new FlintError('MANIFEST_INVALID', `${file}: invalid YAML: ${doc.errors[0]?.message.split('\n')[0] ?? ''}`, { file });
  }
  // toJS: the tags' resolve() already produced plain objects; maxAliasCount guards against alias bombs.
  try {
    return doc.toJS({ maxAliasCount: 1000 }) as unknown;
  } catch (error) {
    throw new FlintError('MANIFEST_INVALID', `${file}: its YAML aliases expand too far (${(error as Error).message}); write the values out instead`, { file });
  }
}
