import { readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isFlintError } from '../../src/core/index.js';
import { extractPackage, packageFunction, readZip, type PackageInput } from '../../src/functions/index.js';
import { FIXTURES, runHandler, tempDirs, writeTree, type Tree } from './helpers.js';

const dirs = tempDirs();
afterAll(() => dirs.cleanup());

const CJS_APP: Tree = {
  'package.json': JSON.stringify({ name: 'cjs-app', private: true }),
  'src/index.ts': [
    "import { greet } from './greet';",
    '',
    'interface GreetEvent {',
    '  name: string;',
    '}',
    '',
    'export const handler = async (event: GreetEvent) => {',
    '  return { message: greet(event.name), commonjs: typeof module === "object" };',
    '};',
  ].join('\n'),
  'src/greet.ts': [
    'export function greet(name: string): string {',
    "  if (name === 'boom') throw new Error('greet failed');",
    '  return `hello ${name}`;',
    '}',
  ].join('\n'),
};

function nodeInput(codeDir: string, overrides: Partial<PackageInput> = {}): PackageInput {
  return { name: 'fn', runtime: 'nodejs20.x', handler: 'src/index.handler', codeDir, bundle: true, external: [], ...overrides };
}

async function packageAndExtract(input: PackageInput): Promise<{ dir: string; paths: string[]; warnings: string[] }> {
  const pkg = await packageFunction(input);
  const dir = join(await dirs.make('flint-extract-'), 'code');
  await extractPackage(pkg.zip, dir);
  return { dir, paths: readZip(pkg.zip).map((e) => e.name), warnings: pkg.warnings };
}

async function packagingError(input: PackageInput): Promise<Error & { code?: string }> {
  const error = await packageFunction(input).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error('expected packaging to fail');
  return error;
}

describe('bundling Node.js handlers', () => {
  it('bundles a TypeScript handler into src/index.js that runs and maps stack traces to the .ts lines', async () => {
    const codeDir = await writeTree(await dirs.make(), CJS_APP);
    const { dir, paths } = await packageAndExtract(nodeInput(codeDir));

    expect(paths).toEqual(['src/index.js', 'src/index.js.map']);
    expect(await runHandler(dir, 'src/index.js', { name: 'flint' })).toEqual({ result: { message: 'hello flint', commonjs: true } });
    const failed = await runHandler(dir, 'src/index.js', { name: 'boom' });
    expect(failed.stack).toContain('greet failed');
    expect(failed.stack).toMatch(/src\/greet\.ts:2:\d+/);
  });

  it('emits an ES module with require, __dirname and __filename when package.json says "type": "module"', async () => {
    const codeDir = await writeTree(await dirs.make(), {
      'package.json': JSON.stringify({ type: 'module' }),
      'src/index.ts': [
        'const greeting = await Promise.resolve("hello");',
        'export const handler = async (event: { name: string }) => {',
        '  const os = require("node:os") as { platform(): string };',
        '  return { message: `${greeting} ${event.name}`, dirname: __dirname, filename: __filename, platform: typeof os.platform() };',
        '};',
      ].join('\n'),
    });
    const { dir, paths } = await packageAndExtract(nodeInput(codeDir));

    expect(paths).toEqual(['src/index.mjs', 'src/index.mjs.map']);
    expect(await runHandler(dir, 'src/index.mjs', { name: 'esm' })).toEqual({
      result: { message: 'hello esm', dirname: join(dir, 'src'), filename: join(dir, 'src/index.mjs'), platform: 'string' },
    });
  });

  it('treats a .mts entry as an ES module even where user code declares its own __dirname', async () => {
    const codeDir = await writeTree(await dirs.make(), {
      'lib/main.mts': [
        "import { fileURLToPath } from 'node:url';",
        "import { dirname } from 'node:path';",
        'const __filename = fileURLToPath(import.meta.url);',
        'const __dirname = dirname(__filename);',
        'export async function handler() {',
        '  return { dirname: __dirname };',
        '}',
      ].join('\n'),
    });
    const { dir, paths } = await packageAndExtract(nodeInput(codeDir, { handler: 'lib/main.handler' }));

    expect(paths).toContain('lib/main.mjs');
    expect(await runHandler(dir, 'lib/main.mjs', {})).toEqual({ result: { dirname: join(dir, 'lib') } });
  });

  it('keeps the AWS SDK v3 external, as the runtime provides it', async () => {
    const codeDir = await writeTree(await dirs.make(), {
      'index.js': "const { S3Client } = require('@aws-sdk/client-s3');\nexports.handler = async () => typeof S3Client;\n",
    });
    const pkg = await packageFunction(nodeInput(codeDir, { handler: 'index.handler' }));
    const bundle = readZip(pkg.zip).find((e) => e.name === 'index.js');

    expect(Buffer.from(bundle?.read() ?? []).toString()).toContain('require("@aws-sdk/client-s3")');
  });

  it('names the AWS SDK packages the runtime must provide: those imported and not shipped in the package', async () => {
    const codeDir = await writeTree(await dirs.make(), {
      'src/index.ts': [
        "import { SSMClient } from '@aws-sdk/client-ssm';",
        "import { marshall } from '@aws-sdk/util-dynamodb';",
        "export const handler = async () => [typeof SSMClient, typeof marshall, typeof (await import('@aws-sdk/client-sfn'))];",
      ].join('\n'),
    });
    expect((await packageFunction(nodeInput(codeDir))).sdkPackages).toEqual(['@aws-sdk/client-sfn', '@aws-sdk/client-ssm', '@aws-sdk/util-dynamodb']);

    // Unbundled, the scripts are read; a client the app ships in its own node_modules is its own, as on Lambda.
    const plain = await writeTree(await dirs.make(), {
      'index.mjs': "import { SSMClient } from '@aws-sdk/client-ssm';\nimport { S3Client } from '@aws-sdk/client-s3/dist-cjs/index.js';\nexport const handler = async () => 1;\n",
      'node_modules/@aws-sdk/client-ssm/package.json': '{"name":"@aws-sdk/client-ssm","main":"index.js"}',
      'node_modules/@aws-sdk/client-ssm/index.js': "require('@aws-sdk/client-kms');",
    });
    expect((await packageFunction(nodeInput(plain, { handler: 'index.handler', bundle: false }))).sdkPackages).toEqual(['@aws-sdk/client-s3']);
    const python = await writeTree(await dirs.make(), { 'app.py': "# '@aws-sdk/client-ssm'\ndef handler(e, c): return 1\n" });
    expect((await packageFunction(nodeInput(python, { runtime: 'python3.12', handler: 'app.handler', bundle: false }))).sdkPackages).toEqual([]);
  });

  it('copies external packages and their dependencies into node_modules', async () => {
    const codeDir = await writeTree(await dirs.make(), {
      'package.json': JSON.stringify({ name: 'app', type: 'commonjs' }),
      'src/index.ts': "import { shout } from 'ext-a';\nexport const handler = async () => shout('hi');\n",
      'node_modules/ext-a/package.json': JSON.stringify({ name: 'ext-a', main: 'index.js', dependencies: { 'ext-b': '1', 'ext-c': '1' } }),
      'node_modules/ext-a/index.js': "const up = require('ext-b');\nconst bang = require('ext-c');\nexports.shout = (s) => bang(up(s));\n",
      'node_modules/ext-a/node_modules/ext-c/package.json': JSON.stringify({ name: 'ext-c', main: 'index.js', dependencies: { 'ext-d': '1' } }),
      'node_modules/ext-a/node_modules/ext-c/index.js': "module.exports = (s) => require('ext-d')(s + '!');\n",
      'node_modules/ext-b/package.json': JSON.stringify({ name: 'ext-b', main: 'index.js' }),
      'node_modules/ext-b/index.js': 'module.exports = (s) => s.toUpperCase();\n',
      'node_modules/ext-d/package.json': JSON.stringify({ name: 'ext-d', main: 'index.js', optionalDependencies: { 'not-installed': '1' } }),
      'node_modules/ext-d/index.js': 'module.exports = (s) => `[${s}]`;\n',
      'node_modules/unrelated/package.json': JSON.stringify({ name: 'unrelated' }),
    });
    const { dir, paths, warnings } = await packageAndExtract(nodeInput(codeDir, { external: ['ext-a', 'missing-pkg'] }));

    expect(paths).toEqual(
      expect.arrayContaining([
        'node_modules/ext-a/index.js',
        'node_modules/ext-a/node_modules/ext-c/index.js',
        'node_modules/ext-b/index.js',
        'node_modules/ext-d/index.js',
      ]),
    );
    expect(paths.some((p) => p.startsWith('node_modules/unrelated'))).toBe(false);
    expect(await runHandler(dir, 'src/index.js', {})).toEqual({ result: '[HI!]' });
    expect(warnings).toEqual([expect.stringContaining("'missing-pkg' was not found")]);
  });

  it('reports bundle errors with esbuild messages pointing at file:line:column', async () => {
    const codeDir = await writeTree(await dirs.make(), {
      'package.json': '{}',
      'src/index.ts': 'export const handler = async () => {\n  const value = 1 +;\n  return value;\n};\n',
    });
    const error = await packagingError(nodeInput(codeDir));

    expect(isFlintError(error, 'BUNDLE_FAILED')).toBe(true);
    expect(error.message).toContain('src/index.ts:2:19');
  });

  it('names the unresolved import and where it is', async () => {
    const codeDir = await writeTree(await dirs.make(), {
      'src/index.ts': "import { x } from './nope';\nexport const handler = async () => x;\n",
    });
    const error = await packagingError(nodeInput(codeDir));

    expect(isFlintError(error, 'BUNDLE_FAILED')).toBe(true);
    expect(error.message).toMatch(/src\/index\.ts:1:\d+/);
    expect(error.message).toContain('./nope');
  });

  it('explains that top-level await needs ES module output', async () => {
    const codeDir = await writeTree(await dirs.make(), {
      'package.json': JSON.stringify({ name: 'cjs' }),
      'src/index.ts': 'const config = await Promise.resolve(1);\nexport const handler = async () => config;\n',
    });
    const error = await packagingError(nodeInput(codeDir));

    expect(isFlintError(error, 'BUNDLE_FAILED')).toBe(true);
    expect(error.message).toContain('src/index.ts:1:');
    expect(error.message).toMatch(/\.mjs or \.mts, or set "type": "module"/);
  });

  it('says which entry files it looked for when the handler file is missing', async () => {
    const codeDir = await writeTree(await dirs.make(), { 'other.ts': 'export {};' });
    const error = await packagingError(nodeInput(codeDir, { handler: 'app.handler' }));

    expect(isFlintError(error, 'BUNDLE_FAILED')).toBe(true);
    expect(error.message).toContain('app.{ts,mts,cts,tsx,js,mjs,cjs,jsx}');
  });

  it('gives the same bytes and sha256 on every run, whatever the file times', async () => {
    const codeDir = await writeTree(await dirs.make(), CJS_APP);
    const first = await packageFunction(nodeInput(codeDir));
    await utimes(join(codeDir, 'src/greet.ts'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    const second = await packageFunction(nodeInput(codeDir));

    expect(second.sha256).toBe(first.sha256);
    expect(Buffer.from(second.zip).equals(Buffer.from(first.zip))).toBe(true);
    expect(first.size).toBe(first.zip.length);
  });
});

describe('zipping folders as they are', () => {
  it('skips VCS data, Flint state, Python bytecode and build caches', async () => {
    const codeDir = await writeTree(await dirs.make(), {
      'index.js': 'exports.handler = async () => 1;',
      '.git/HEAD': 'ref',
      '.flint/state.db': 'x',
      'lib/__pycache__/x.cpython-312.pyc': 'x',
      'lib/util.pyc': 'x',
      'lib/util.js': 'module.exports = 1;',
      'node_modules/.cache/big': 'x',
      'node_modules/dep/index.js': 'module.exports = 2;',
    });
    const pkg = await packageFunction(nodeInput(codeDir, { handler: 'index.handler', bundle: false }));

    expect(readZip(pkg.zip).map((e) => e.name)).toEqual(['index.js', 'lib/util.js', 'node_modules/dep/index.js']);
    expect(pkg.warnings).toEqual([]);
  });

  it('warns when a Node.js handler file is not in the package', async () => {
    const codeDir = await writeTree(await dirs.make(), { 'main.js': '' });
    const pkg = await packageFunction(nodeInput(codeDir, { handler: 'index.handler', bundle: false }));

    expect(pkg.warnings).toEqual([expect.stringContaining('index.js, .mjs or .cjs')]);
  });

  it('packages a Python function and checks its handler module', async () => {
    const codeDir = join(FIXTURES, 'python-app');
    const good = await packageFunction({ ...nodeInput(codeDir), runtime: 'python3.12', handler: 'pkg.app.handler', bundle: false });
    const bad = await packageFunction({ ...nodeInput(codeDir), runtime: 'python3.12', handler: 'app.handler', bundle: false });

    expect(readZip(good.zip).map((e) => e.name)).toEqual(['pkg/__init__.py', 'pkg/app.py']);
    expect(good.warnings).toEqual([]);
    expect(bad.warnings).toEqual([expect.stringContaining('app.py')]);
  });

  it('keeps bootstrap executable through packaging and extraction', async () => {
    const pkg = await packageFunction({ ...nodeInput(join(FIXTURES, 'provided-app')), runtime: 'provided.al2023', bundle: false });
    const dir = join(await dirs.make(), 'code');
    await extractPackage(pkg.zip, dir);

    expect(pkg.warnings).toEqual([]);
    expect((await stat(join(dir, 'bootstrap'))).mode & 0o777).toBe(0o755);
    expect((await stat(join(dir, 'README.txt'))).mode & 0o777).toBe(0o644);
    expect(await readFile(join(dir, 'bootstrap'), 'utf8')).toContain('custom runtime');
  });

  it('warns when a custom runtime has no executable bootstrap', async () => {
    const missing = await writeTree(await dirs.make(), { 'main.sh': '#!/bin/sh' });
    const notExecutable = await writeTree(await dirs.make(), { bootstrap: { content: '#!/bin/sh', mode: 0o644 } });
    const input = { runtime: 'provided.al2', handler: 'x', bundle: false };

    expect((await packageFunction(nodeInput(missing, input))).warnings).toEqual([expect.stringContaining("no 'bootstrap'")]);
    expect((await packageFunction(nodeInput(notExecutable, input))).warnings).toEqual([expect.stringContaining('not executable')]);
  });

  it('rejects unknown runtimes, missing folders and empty folders', async () => {
    const empty = await dirs.make();

    expect((await packagingError(nodeInput(empty, { runtime: 'cobol1.0' }))).code).toBe('RUNTIME_UNSUPPORTED');
    expect((await packagingError(nodeInput(empty, { runtime: 'nodejs26.x' }))).message).toContain("is not supported (did you mean 'nodejs24.x'?)");
    expect((await packagingError(nodeInput(join(empty, 'nope'), { bundle: false }))).code).toBe('CODE_INVALID');
    expect((await packagingError(nodeInput(empty, { bundle: false }))).code).toBe('CODE_INVALID');
  });

  it('ships a ready .zip named as the code byte for byte, and refuses a corrupt one', async () => {
    const folder = await writeTree(await dirs.make(), { 'index.js': 'exports.handler = async () => 1;' });
    const built = await packageFunction(nodeInput(folder, { bundle: false }));
    const zipDir = await dirs.make();
    const zipFile = join(zipDir, 'function.zip');
    await writeFile(zipFile, built.zip);
    const shipped = await packageFunction(nodeInput(zipFile, { bundle: true }));
    expect(shipped.sha256).toBe(built.sha256);
    expect(Buffer.from(shipped.zip).equals(Buffer.from(built.zip))).toBe(true);
    await writeFile(join(zipDir, 'broken.zip'), 'not a zip');
    expect((await packagingError(nodeInput(join(zipDir, 'broken.zip'), {}))).code).toBe('CODE_INVALID');
  });
});
