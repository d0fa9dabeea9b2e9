import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { isFlintError } from '../../src/core/index.js';
import { parseManifest } from '../../src/manifest/index.js';
import { appFromTemplate, parseTemplateText, serverlessToSam } from '../../src/templates/index.js';
import { checkProperty, hostileString, mutatedBytes } from './fuzz.js';

const EXAMPLES = new URL('../../examples/', import.meta.url).pathname;
/** The only ways loading an app file may fail: the user's file is invalid, or names a file that is not there. */
const LOAD_CODES = new Set(['MANIFEST_INVALID', 'MANIFEST_NOT_FOUND']);
/** A loader that takes longer than this on a small file is a hang (an alias bomb, a variable cycle). */
const LOAD_BOUND_MS = 2_000;

interface AppFile {
  name: string;
  path: string;
  load(text: string): unknown;
}

const FILES: AppFile[] = [
  { name: 'flint.yaml', path: join(EXAMPLES, 'http-api/flint.yaml'), load: (text) => parseManifest(text, join(EXAMPLES, 'http-api/flint.yaml')) },
  {
    name: 'SAM template',
    path: join(EXAMPLES, 'sam-orders/template.yaml'),
    load: (text) => {
      const file = join(EXAMPLES, 'sam-orders/template.yaml');
      const parsed = parseTemplateText(text, file);
      if (parsed.value === null || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) return undefined;
      return appFromTemplate(parsed.value, { file, folder: join(EXAMPLES, 'sam-orders'), locate: parsed.locate });
    },
  },
  {
    name: 'serverless.yml',
    path: join(EXAMPLES, 'sls-notes/serverless.yml'),
    load: (text) => serverlessToSam(text, join(EXAMPLES, 'sls-notes/serverless.yml'), { env: {}, stage: 'dev' }),
  },
];

/** Line-level YAML mutations: a line dropped, doubled, re-indented, or given a hostile token. */
function mutatedLines(text: string): fc.Arbitrary<string> {
  const lines = text.split('\n');
  const edit = fc.record({ at: fc.nat(lines.length - 1), kind: fc.constantFrom('drop', 'double', 'indent', 'dedent', 'token'), token: fc.constantFrom(...YAML_TOKENS) });
  return fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => {
    const out = [...lines];
    for (const { at, kind, token } of edits) {
      const i = Math.min(at, out.length - 1);
      if (kind === 'drop') out.splice(i, 1);
      else if (kind === 'double') out.splice(i, 0, out[i] ?? '');
      else if (kind === 'indent') out[i] = `  ${out[i]}`;
      else if (kind === 'dedent') out[i] = (out[i] ?? '').replace(/^ {1,2}/, '');
      else out[i] = `${out[i]}${token}`;
    }
    return out.join('\n');
  });
}

/** YAML's sharp edges: anchors and aliases, merge keys, tags, flow collections, document markers, variables. */
const YAML_TOKENS = [' &a', ' *a', ' <<: *a', ' !Ref', ' !GetAtt', ' !Sub ${AWS::Region}', ' !!binary', ' !!python/object', ' {', ' [', ' ]', ': ', ' ---', ' ...', ' |', ' >-', " '", ' "', ' #', ' ${self:custom.x}', ' ${opt:stage}', ' ${env:HOME}', ' ${file(../../../etc/passwd)}', ' ~', ' 1e999', ' 0x', '\t'];

/** An alias bomb: each level refers to the previous one ten times (a billion leaves at nine levels). */
function aliasBomb(levels: number): string {
  const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i <= levels; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

/** Documents of the manifest's shape with values of any type: what a schema check has to refuse in words. */
const manifestShaped = fc
  .record({
    app: fc.oneof(fc.constant('app'), hostileString()),
    functions: fc.dictionary(
      fc.oneof(fc.constant('f'), hostileString()),
      fc.record({
        runtime: fc.oneof(fc.constantFrom('nodejs20.x', 'python3.12', 'provided.al2023'), hostileString(), fc.integer()),
        handler: fc.oneof(fc.constant('src/hello.handler'), hostileString(), fc.constant(null)),
        memory: fc.oneof(fc.integer(), fc.double(), hostileString()),
        events: fc.array(fc.oneof(fc.constant({ http: 'GET /x' }), fc.record({ http: hostileString() }), fc.record({ schedule: hostileString() }), fc.jsonValue({ maxDepth: 2 })), { maxLength: 3 }),
      }, { requiredKeys: [] }),
      { maxKeys: 3 },
    ),
    apis: fc.jsonValue({ maxDepth: 3 }),
  }, { requiredKeys: [] })
  .map((doc) => stringify(doc));

/** Runs a loader and returns how long it took; anything it throws must be a FlintError with a loading code. */
function loadWithin(file: AppFile, text: string): void {
  const started = performance.now();
  try {
    file.load(text);
  } catch (error) {
    if (!isFlintError(error) || !LOAD_CODES.has(error.code)) {
      throw new Error(`${file.name} threw ${String(error)} for ${JSON.stringify(text.slice(0, 400))}`, { cause: error });
    }
  }
  expect(performance.now() - started, `${file.name} took too long on ${JSON.stringify(text.slice(0, 200))}`).toBeLessThan(LOAD_BOUND_MS);
}

/** flint.yaml, SAM templates and serverless.yml: generated and mutated YAML loads or fails with the loader's own error. */
describe('fuzz: app files (flint.yaml, SAM templates, serverless.yml)', () => {
  for (const file of FILES) {
    it(`loads or refuses in words every mutation of a ${file.name}`, async () => {
      const text = readFileSync(file.path, 'utf8');
      const inputs = fc.oneof(mutatedLines(text), mutatedBytes(Buffer.from(text)).map((b) => b.toString('utf8')), manifestShaped);
      await checkProperty(
        fc.property(inputs, (input) => loadWithin(file, input)),
        60,
      );
    });
  }

  it('refuses alias bombs and deep nesting without expanding them', () => {
    for (const file of FILES) {
      loadWithin(file, aliasBomb(9));
      loadWithin(file, `${'['.repeat(5_000)}${']'.repeat(5_000)}\n`);
      loadWithin(file, `${Array.from({ length: 2_000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')} x\n`);
    }
  });
});
