/**
 * In-process A/B of the DynamoDB service: this checkout against another (BENCH_BASELINE, a checkout of an older
 * commit with its own src/). Each build's DynamoDbService is bundled with esbuild and called in a child process with
 * the same request many times, no HTTP and no socket, so what differs is the service's own CPU time per request: protocol
 * parsing, validation, the handler, storage and serialisation. HTTP A/B runs (bench/ab.ts) on this VM move by a third
 * within a run; this measure moves by a few percent, so it is the one that can tell 3 µs apart.
 *
 *   BENCH_BASELINE=/path/to/old/checkout npm run bench:ab-inproc   (BENCH_CALLS, BENCH_ROUNDS)
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { writeSection } from './lib/results.js';

const CALLS = Number(process.env.BENCH_CALLS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const OPERATIONS = ['PutItem', 'GetItem', 'Query'] as const;

/** The child: opens storage in a temp dir, creates a table, then times each operation CALLS times. */
function entrySource(root: string): string {
  const streaming = readFileSync(join(root, 'src/core/service.ts'), 'utf8').includes('export function bufferBody');
  const src = (path: string): string => JSON.stringify(join(root, 'src', path));
  return `
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RealClock, silentLogger } from ${src('core/index.ts')};
import { openStorage } from ${src('storage/index.ts')};
import { DynamoDbService } from ${src('services/dynamodb/index.ts')};
${streaming ? `import { bufferBody } from ${src('core/index.ts')};` : ''}

const CALLS = ${CALLS};
const clock = new RealClock();
const storage = await openStorage({ dir: mkdtempSync(join(tmpdir(), 'flint-inproc-')), clock });
const service = new DynamoDbService(storage.tables, { region: 'us-east-1', accountId: '000000000000', clock, logger: silentLogger });
service.start?.();

function request(operation, payload) {
  const bytes = Buffer.from(JSON.stringify(payload));
  return {
    method: 'POST', path: '/', rawPath: '/', query: new URLSearchParams(), host: 'localhost',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.' + operation, 'content-length': String(bytes.length),
      authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0' },
    rawHeaders: [], body: ${streaming ? 'bufferBody(bytes)' : 'bytes'}, requestId: 'r', baseUrl: 'http://localhost', sourceIp: '127.0.0.1',
  };
}
async function call(operation, payload) {
  const response = await service.handle(request(operation, payload));
  if (response.status !== 200) throw new Error(operation + ' answered ' + response.status + ': ' + String(response.body));
}
await call('CreateTable', { TableName: 'bench', BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }] });
const item = { pk: { S: 'user#1' }, sk: { S: 'profile' }, name: { S: 'Ada' }, visits: { N: '42' }, tags: { SS: ['a', 'b'] } };
const payloads = {
  PutItem: { TableName: 'bench', Item: item },
  GetItem: { TableName: 'bench', Key: { pk: item.pk, sk: item.sk } },
  Query: { TableName: 'bench', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': item.pk } },
};
const out = {};
for (const operation of ${JSON.stringify(OPERATIONS)}) {
  for (let i = 0; i < 2000; i++) await call(operation, payloads[operation]);
  // CPU time, not wall time: other processes on the machine take the core away, they do not add CPU to ours.
  const start = process.cpuUsage();
  for (let i = 0; i < CALLS; i++) await call(operation, payloads[operation]);
  const used = process.cpuUsage(start);
  out[operation] = (used.user + used.system) / CALLS;
}
process.stdout.write(JSON.stringify(out));
process.exit(0);
`;
}

async function bundle(root: string, dir: string, name: string): Promise<string> {
  const entry = join(dir, `${name}-entry.mjs`);
  writeFileSync(entry, entrySource(root));
  const outfile = join(dir, `${name}.mjs`);
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile, external: ['better-sqlite3'], logLevel: 'error',
    nodePaths: [join(root, 'node_modules')], banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" } });
  return outfile;
}

function run(bundlePath: string, cwd: string): Record<string, number> {
  return JSON.parse(execFileSync(process.execPath, [bundlePath], { cwd, encoding: 'utf8' })) as Record<string, number>;
}

function baselineCommit(root: string): string {
  try {
    return execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return root;
  }
}

async function main(): Promise<void> {
  const baseline = process.env.BENCH_BASELINE;
  if (!baseline || !existsSync(join(baseline, 'src'))) throw new Error('set BENCH_BASELINE to a checkout of the commit to compare against');
  const current = resolve('.');
  // Inside node_modules, so the bundles' external better-sqlite3 resolves (both builds use the same one).
  mkdirSync(join(current, 'node_modules/.cache'), { recursive: true });
  const dir = mkdtempSync(join(current, 'node_modules/.cache/ab-inproc-'));
  try {
    // A bundle reads its service models from models/ beside it, as dist/ does.
    cpSync(join(current, 'src/protocol/models'), join(dir, 'models'), { recursive: true });
    const builds = { baseline: await bundle(resolve(baseline), dir, 'baseline'), current: await bundle(current, dir, 'current') };
    const best: Record<'baseline' | 'current', Record<string, number>> = { baseline: {}, current: {} };
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which build goes first, so a drift in the machine's speed falls on both.
      const order = round % 2 === 0 ? (['baseline', 'current'] as const) : (['current', 'baseline'] as const);
      for (const name of order) {
        const figures = run(builds[name], name === 'baseline' ? resolve(baseline) : current);
        for (const [op, us] of Object.entries(figures)) best[name][op] = Math.min(best[name][op] ?? Infinity, us);
        console.log(`round ${round + 1} ${name.padEnd(8)} ${OPERATIONS.map((op) => `${op} ${figures[op]!.toFixed(1)} µs`).join('  ')}`);
      }
    }
    const rows = OPERATIONS.map((op) => `| ${op} | ${best.baseline[op]!.toFixed(1)} | ${best.current[op]!.toFixed(1)} | ${(best.current[op]! - best.baseline[op]!).toFixed(1)} | ${(best.baseline[op]! / best.current[op]!).toFixed(2)}× |`);
    const markdown = [
      '## A/B in process: the DynamoDB service by CPU time',
      '',
      `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC. Baseline: ${baselineCommit(resolve(baseline))}; current: ${baselineCommit(current)}. Each build's`,
      `DynamoDbService is called ${CALLS} times per operation with the same request, no HTTP; best of ${ROUNDS} rounds in alternating order.`,
      '`BENCH_BASELINE=<checkout> npm run bench:ab-inproc`.',
      '',
      '| Operation | Baseline CPU µs/call | Current CPU µs/call | Difference µs | Ratio (above 1 is faster) |',
      '| --- | --- | --- | --- | --- |',
      ...rows,
    ].join('\n');
    console.log(`\n${markdown}`);
    writeSection(join(current, 'bench/RESULTS.md'), 'ab-inproc', markdown);
  } finally {
    // BENCH_KEEP=1 keeps the bundles, to profile one (node --cpu-prof <dir>/current.mjs).
    if (process.env.BENCH_KEEP) console.log(`bundles kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

await main();
