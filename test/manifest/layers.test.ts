import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseManifest } from '../../src/manifest/index.js';
import { makeApp, problemLines, yaml } from './helpers.js';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:layer:published:3';

describe('manifest: layers', () => {
  let dir = '';
  let cleanup = (): void => {};
  beforeEach(() => ({ dir, cleanup } = makeApp({ 'api/': '', 'shared/': '', 'tools.zip': 'PK' })));
  afterEach(() => cleanup());

  it('normalises the app layers and the layers each function lists, in order', () => {
    const text = yaml(
      'layers:',
      '  shared:',
      '    path: ./shared',
      '    runtimes: [nodejs20.x, python3.12]',
      '    description: Shared code',
      '  tools:',
      '    path: tools.zip',
      'functions:',
      '  hello:',
      '    runtime: nodejs20.x',
      '    handler: index.handler',
      '    code: ./api',
      `    layers: [tools, ${ARN}, shared]`,
      '  plain:',
      '    runtime: python3.12',
      '    handler: app.handler',
      '    code: ./api',
    );
    const spec = parseManifest(text, join(dir, 'flint.yaml'));
    expect(spec.layers).toEqual([
      { name: 'shared', path: join(dir, 'shared'), runtimes: ['nodejs20.x', 'python3.12'], description: 'Shared code' },
      { name: 'tools', path: join(dir, 'tools.zip'), runtimes: [], description: '' },
    ]);
    expect(spec.functions.find((f) => f.name === 'hello')?.layers).toEqual(['tools', ARN, 'shared']);
    expect(spec.functions.find((f) => f.name === 'plain')).not.toHaveProperty('layers');
  });

  it('reports unknown layer names and malformed ARNs where they are written', () => {
    const text = yaml(
      'layers:',
      '  shared:',
      '    path: ./shared',
      'functions:',
      '  hello:',
      '    runtime: nodejs20.x',
      '    handler: index.handler',
      '    code: ./api',
      '    layers: [shraed, "arn:aws:lambda:us-east-1:000000000000:layer:nover"]',
    );
    expect(problemLines(text, dir)).toEqual([
      "flint.yaml:9:14: functions.hello.layers[0]: no layer 'shraed' under layers (declared: shared)",
      'flint.yaml:9:22: functions.hello.layers[1]: expected a layer version ARN such as arn:aws:lambda:us-east-1:123456789012:layer:name:1, got "arn:aws:lambda:us-east-1:000000000000:layer:nover"',
    ]);
  });

  it('reports a missing layer folder and more layers than Lambda allows', () => {
    const text = yaml(
      'layers:',
      '  shared:',
      '    path: ./nowhere',
      'functions:',
      '  many:',
      '    runtime: nodejs20.x',
      '    handler: index.handler',
      '    code: ./api',
      '    layers: [a, b, c, d, e, f]',
    );
    const problems = problemLines(text, dir);
    expect(problems).toContainEqual(expect.stringMatching(/^flint\.yaml:3:5: layers\.shared\.path: path "\.\/nowhere" does not exist/));
    expect(problems).toContainEqual(expect.stringContaining("functions.many.layers: expected at most 5 layers (Lambda's limit)"));
  });
});
