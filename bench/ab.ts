/**
 * `npm run bench:ab`: this build against an earlier one, in the same run on the same machine: warm HTTP throughput
 * (gateway → API Gateway v2 event → instance, the functions benchmark's trivial handler) and the data services'
 * prepared requests (DynamoDB, S3, SQS). Both nodes run side by side; each operation is timed in rounds that
 * alternate the order (A B, B A, ...) so drift on a noisy VM falls on both. Writes the "ab" section of
 * bench/RESULTS.md.
 *
 * BENCH_BASELINE names the earlier build: a Flint checkout with `npm run build` done (a git worktree of an earlier
 * commit, sharing this node_modules). BENCH_ROUNDS, BENCH_SECONDS and BENCH_OPS (a comma-separated list of operations)
 * shape a run. Needs wrk (Debian package wrk).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { dataScripts, prepareDynamo, prepareS3 } from './lib/data-requests.js';
import { hasWrk, wrk, type LoadResult } from './lib/http.js';
import { spawnQuiet, stop, waitForOutput } from './lib/processes.js';
import { writeSection } from './lib/results.js';
import { fmt, ratio } from './lib/stats.js';
import { requestScript } from './lib/wrk-scripts.js';

const ROOT = resolve(import.meta.dirname, '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const CONNECTIONS = 32;

interface Node {
  label: string;
  commit: string;
  url: string;
  close(): Promise<void>;
}

async function startNode(label: string, root: string, appDir: string, dataDir: string): Promise<Node> {
  const child = spawnQuiet(process.execPath, [join(root, 'bin/flint.js'), 'up', appDir, '--port', '0', '--data', dataDir, '--no-watch', '--stem-cells', '0']);
  const output = await waitForOutput(child, /stop: Ctrl-C/);
  return { label, commit: commitOf(root), url: /listening on (http:\/\/\S+)/.exec(output)![1]!, close: () => stop(child) };
}

function commitOf(root: string): string {
  try {
    return execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/** The trivial handler behind one HTTP route, bundled as-is. */
function writeApp(dir: string): void {
  writeFileSync(join(dir, 'handler.js'), "exports.handler = async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{\"ok\":true}' });\n");
  writeFileSync(join(dir, 'package.json'), '{"type":"commonjs"}\n');
  writeFileSync(join(dir, 'flint.yaml'), 'app: ab\nfunctions:\n  hello:\n    runtime: nodejs20.x\n    handler: handler.handler\n    bundle: false\n    events:\n      - http: GET /hello\n');
}

async function prepare(node: Node): Promise<void> {
  const sqs = new SQSClient({ endpoint: node.url, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  await Promise.all([prepareDynamo(node.url), prepareS3(node.url), sqs.send(new CreateQueueCommand({ QueueName: 'bench' }))]);
}

/** SendMessage over SQS's JSON protocol, as current SDKs send it (the queue URL names any host; Flint reads its name). */
function sqsScript(dir: string): string {
  const date = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  return requestScript(dir, 'sqs-send', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': 'AmazonSQS.SendMessage',
      'X-Amz-Date': date,
      Authorization: `AWS4-HMAC-SHA256 Credential=S3RVER/${date.slice(0, 8)}/us-east-1/sqs/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=${'0'.repeat(64)}`,
    },
    body: '{"QueueUrl":"http://127.0.0.1/000000000000/bench","MessageBody":"message %d"}',
  });
}

interface Row {
  operation: string;
  baseline: LoadResult[];
  current: LoadResult[];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function main(): Promise<void> {
  const baselineRoot = process.env.BENCH_BASELINE;
  if (!baselineRoot) throw new Error('bench:ab needs BENCH_BASELINE: a built Flint checkout of the earlier commit');
  if (!hasWrk()) throw new Error('bench:ab needs wrk (Debian package wrk)');
  const work = mkdtempSync(join(tmpdir(), 'flint-bench-ab-'));
  const app = join(work, 'app');
  const nodes: Node[] = [];
  try {
    mkdirSync(app);
    writeApp(app);
    const baseline = await startNode('baseline', resolve(baselineRoot), app, join(work, 'baseline'));
    nodes.push(baseline);
    const current = await startNode('this build', ROOT, app, join(work, 'current'));
    nodes.push(current);
    console.error('bench: preparing data');
    await Promise.all([prepare(baseline), prepare(current)]);
    const scripts: Record<string, string | undefined> = { 'Warm HTTP (function)': undefined, ...dataScripts(work), 'SendMessage (SQS JSON)': sqsScript(work) };
    // BENCH_OPS=GetItem,PutItem times only those (names as in the table, matched by prefix).
    const only = process.env.BENCH_OPS?.split(',');
    const rows: Row[] = [];
    for (const [operation, script] of Object.entries(scripts)) {
      if (only && !only.some((name) => operation.startsWith(name))) continue;
      console.error(`bench: ${operation}`);
      const path = script === undefined ? '/hello' : '/';
      for (const node of nodes) wrk(node.url + path, 2, CONNECTIONS, script);
      const row: Row = { operation, baseline: [], current: [] };
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 === 0 ? [baseline, current] : [current, baseline];
        for (const node of order) (node === baseline ? row.baseline : row.current).push(wrk(node.url + path, SECONDS, CONNECTIONS, script));
      }
      rows.push(row);
    }
    const markdown = render(baseline, current, rows);
    writeSection(join(ROOT, 'bench/RESULTS.md'), 'ab', markdown);
    console.log(markdown);
  } finally {
    for (const node of nodes.reverse()) await node.close();
    rmSync(work, { recursive: true, force: true });
  }
}

function render(baseline: Node, current: Node, rows: Row[]): string {
  const lines = [
    '## This build against an earlier one (A/B, same run)',
    '',
    `Latest run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB.`,
    `Baseline ${baseline.commit} against this build ${current.commit}. Reproduce: \`npm run build\` here and in a worktree of the baseline, then`,
    `\`BENCH_BASELINE=<worktree> npm run bench:ab\`. wrk, 1 thread, ${CONNECTIONS} connections; per operation a 2 s warm-up each, then ${ROUNDS} rounds`,
    `of ${SECONDS} s per node in alternating order; figures are the medians of the rounds. Both nodes run at once (stem cells off).`,
    '',
    '| Operation | Baseline req/s | Baseline p50 / p99 | This build req/s | This build p50 / p99 | This build ÷ baseline |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of rows) {
    const a = { rps: median(row.baseline.map((r) => r.rps)), p50: median(row.baseline.map((r) => r.p50)), p99: median(row.baseline.map((r) => r.p99)) };
    const b = { rps: median(row.current.map((r) => r.rps)), p50: median(row.current.map((r) => r.p50)), p99: median(row.current.map((r) => r.p99)) };
    lines.push(`| ${row.operation} | ${a.rps.toFixed(0)} | ${fmt(a.p50)} / ${fmt(a.p99)} | ${b.rps.toFixed(0)} | ${fmt(b.p50)} / ${fmt(b.p99)} | ${ratio(b.rps, a.rps)} |`);
  }
  lines.push('', 'Every round of each node, req/s (baseline; this build):', '');
  for (const row of rows) lines.push(`- ${row.operation}: ${row.baseline.map((r) => r.rps.toFixed(0)).join(', ')}; ${row.current.map((r) => r.rps.toFixed(0)).join(', ')}`);
  return lines.join('\n');
}

await main();
