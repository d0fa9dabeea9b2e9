import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { RUNTIME_IDS } from '../../src/core/index.js';
import { manifestJsonSchema } from '../../src/manifest/index.js';
import { yaml } from './helpers.js';
import { schemaErrors } from './json-schema-check.js';

const committed = readFileSync(new URL('../../schema/flint.schema.json', import.meta.url), 'utf8');
const schema = manifestJsonSchema() as Record<string, unknown>;

const EXAMPLE = yaml(
  'app: photo-service',
  'functions:',
  '  hello:',
  '    runtime: nodejs20.x',
  '    handler: src/index.handler',
  '    memory: 256',
  '    environment: { PORT: 80, DEBUG: true, NAME: x }',
  '    external: [sharp]',
  '    events:',
  '      - http: GET /users/{id}',
  '      - http: { method: POST, path: /users, api: public }',
  '      - http: $default',
  '      - schedule: rate(5 minutes)',
  'apis:',
  '  default: { payload: "2.0", cors: true }',
  '  public: { cors: { allowOrigins: ["https://example.com"], allowMethods: [GET, POST], maxAge: 600 } }',
  'resources:',
  '  tables: { Users: { hashKey: { name: id, type: S } } }',
  '  buckets: { raw-images: {} }',
  '  queues: { jobs: { deadLetter: { queue: jobs-dlq, maxReceiveCount: 3 } }, jobs-dlq: {} }',
  '  topics: { user-events: null }',
);

describe('the published JSON Schema', () => {
  it('is the committed schema/flint.schema.json (regenerate with npx tsx scripts/gen-schema.ts)', () => {
    expect(committed).toBe(`${JSON.stringify(schema, null, 2)}\n`);
  });

  it('is draft 2020-12 with the top-level fields and the runtime list', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(Object.keys(schema.properties as object)).toEqual(['app', 'functions', 'apis', 'resources', 'websockets', 'layers']);
    expect(schema.required).toEqual(['functions']);
    const fn = (schema.properties as Record<string, { additionalProperties: { properties: { runtime: { enum: string[] } } } }>).functions;
    expect(fn?.additionalProperties.properties.runtime.enum).toEqual([...RUNTIME_IDS]);
  });

  it('accepts a valid manifest', () => {
    expect(schemaErrors(schema, parse(EXAMPLE))).toEqual([]);
  });

  it('rejects what validation rejects structurally: unknown fields, out-of-range values, bad runtimes', () => {
    const wrong = parse(EXAMPLE) as { functions: { hello: Record<string, unknown> } };
    Object.assign(wrong.functions.hello, { memroy: 1, memory: 64, runtime: 'java21' });
    expect(schemaErrors(schema, wrong)).toEqual([
      expect.stringContaining('$.functions.hello.runtime: expected one of'),
      '$.functions.hello.memory: below 128',
      '$.functions.hello: unexpected property memroy',
    ]);
  });
});
