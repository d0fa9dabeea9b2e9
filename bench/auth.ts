/**
 * `npm run bench:auth`: what signature verification (server mode, `flint up --auth`) costs on the warm paths, with
 * verification off and on in the same run: an HTTP API route to a warm function (API routes are not signed, so
 * this shows the gateway's added work when nothing is verified) and a signed DynamoDB GetItem (one SigV4
 * verification per request: key lookup, canonical request, a cached signing key, one HMAC). wrk with one thread
 * and 32 connections; the modes alternate, two rounds each, and the better round of each is kept (the machine is
 * shared). Writes the "auth" section of bench/RESULTS.md. Needs wrk and `npm run build`.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { bufferBody, RealClock, type ServiceRequest } from '../src/core/index.js';
import { RequestVerifier, ROOT_KEY_FILE, signRequest, type SigningCredentials } from '../src/gateway/index.js';
import { hasWrk, wrk, type LoadResult } from './lib/http.js';
import { spawnQuiet, stop, waitForOutput } from './lib/processes.js';
import { writeSection } from './lib/results.js';
import { requestScript } from './lib/wrk-scripts.js';

const ROOT = resolve(import.meta.dirname, '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 32;
const ROUNDS = 2;

interface Flint {
  url: string;
  credentials: SigningCredentials;
  close(): Promise<void>;
}

function writeApp(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const file of ['handler.js', 'package.json']) copyFileSync(join(ROOT, 'bench/apps/trivial', file), join(dir, file));
  writeFileSync(join(dir, 'flint.yaml'), 'app: bench\nfunctions:\n  hello:\n    runtime: nodejs20.x\n    handler: handler.handler\n    bundle: false\n    events:\n      - http: GET /hello\n');
}

async function startFlint(appDir: string, dataDir: string, auth: boolean): Promise<Flint> {
  const child = spawnQuiet(process.execPath, [join(ROOT, 'bin/flint.js'), 'up', appDir, '--port', '0', '--data', dataDir, '--no-watch', ...(auth ? ['--auth'] : [])]);
  const output = await waitForOutput(child, /stop: Ctrl-C/);
  const credentials = auth ? (JSON.parse(readFileSync(join(dataDir, ROOT_KEY_FILE), 'utf8')) as SigningCredentials) : { accessKeyId: 'bench', secretAccessKey: 'bench' };
  return { url: /listening on (http:\/\/\S+)/.exec(output)![1]!, credentials, close: () => stop(child) };
}

/** One item to read, written through the SDK with the node's credentials. */
async function prepareTable(flint: Flint): Promise<void> {
  const db = new DynamoDBClient({ endpoint: flint.url, region: 'us-east-1', credentials: flint.credentials });
  await db.send(new CreateTableCommand({ TableName: 'bench', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] }));
  await db.send(new PutItemCommand({ TableName: 'bench', Item: { pk: { S: 'k1' }, value: { S: 'some value' } } }));
  db.destroy();
}

/** A GetItem signed now (valid for the 5 minutes DynamoDB allows), as a wrk script sending it again and again. */
function getItemScript(dir: string, flint: Flint): string {
  const body = '{"TableName":"bench","Key":{"pk":{"S":"k1"}}}';
  const headers = signRequest(
    {
      method: 'POST',
      url: new URL(`${flint.url}/`),
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.GetItem' },
      body: Buffer.from(body),
      region: 'us-east-1',
      service: 'dynamodb',
      now: Date.now(),
    },
    flint.credentials,
  );
  // wrk sends Host from the URL, as signed.
  delete headers.host;
  return requestScript(dir, `get-item-${flint.credentials.accessKeyId}`, { method: 'POST', headers, body });
}

interface Row {
  route: LoadResult;
  getItem: LoadResult;
}

/**
 * CPU time of one verification of a signed GetItem, in process (not moved by the machine's load as wrk's figures
 * are): parse, key lookup (in memory here), canonical request, cached signing key, HMAC, constant-time compare.
 */
async function verifyCpuMicros(): Promise<number> {
  const credentials = { accessKeyId: 'AKIABENCHBENCHBENCH1', secretAccessKey: 'bench-secret' };
  const verifier = new RequestVerifier(async (key) => (key === credentials.accessKeyId ? { secretAccessKey: credentials.secretAccessKey } : undefined), new RealClock());
  const body = Buffer.from('{"TableName":"bench","Key":{"pk":{"S":"k1"}}}');
  const url = new URL('http://127.0.0.1:4566/');
  const headers = signRequest(
    { method: 'POST', url, headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.GetItem' }, body, region: 'us-east-1', service: 'dynamodb', now: Date.now() },
    credentials,
  );
  const request = (): ServiceRequest => ({ method: 'POST', rawPath: '/', query: new URLSearchParams(), headers, rawHeaders: Object.entries(headers).flat(), body: bufferBody(body), requestId: 'r', host: url.host, baseUrl: url.origin, sourceIp: '127.0.0.1' });
  const run = async (count: number): Promise<void> => {
    for (let i = 0; i < count; i++) if (!('request' in (await verifier.verify(request(), 'dynamodb')))) throw new Error('the benchmark request was refused');
  };
  await run(2000);
  const count = 20000;
  const start = process.cpuUsage();
  await run(count);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / count;
}

const better = (a: LoadResult | undefined, b: LoadResult): LoadResult => (a && a.rps >= b.rps ? a : b);

async function measure(work: string, auth: boolean, round: number): Promise<Row> {
  const appDir = join(work, 'app');
  const flint = await startFlint(appDir, join(work, `data-${auth ? 'on' : 'off'}-${round}`), auth);
  try {
    await prepareTable(flint);
    await fetch(`${flint.url}/hello`);
    wrk(`${flint.url}/hello`, 2, CONNECTIONS);
    const route = wrk(`${flint.url}/hello`, SECONDS, CONNECTIONS);
    const script = getItemScript(work, flint);
    wrk(flint.url, 2, CONNECTIONS, script);
    const getItem = wrk(flint.url, SECONDS, CONNECTIONS, script);
    return { route, getItem };
  } finally {
    await flint.close();
  }
}

async function main(): Promise<void> {
  if (!hasWrk()) throw new Error('bench:auth needs wrk (Debian package wrk)');
  if (process.argv.includes('--cpu-only')) {
    console.log(`one verification: ${(await verifyCpuMicros()).toFixed(1)} µs CPU`);
    return;
  }
  const work = mkdtempSync(join(tmpdir(), 'flint-bench-auth-'));
  try {
    writeApp(join(work, 'app'));
    const best: Record<'off' | 'on', Partial<Row>> = { off: {}, on: {} };
    for (let round = 0; round < ROUNDS; round++) {
      for (const auth of [false, true]) {
        const row = await measure(work, auth, round);
        const mode = auth ? 'on' : 'off';
        best[mode] = { route: better(best[mode].route, row.route), getItem: better(best[mode].getItem, row.getItem) };
        console.log(`round ${round + 1}, verification ${mode}: route ${row.route.rps.toFixed(0)} req/s, GetItem ${row.getItem.rps.toFixed(0)} req/s`);
      }
    }
    const micros = await verifyCpuMicros();
    console.log(`one verification: ${micros.toFixed(1)} µs CPU`);
    writeSection(join(ROOT, 'bench/RESULTS.md'), 'auth', render(best.off as Row, best.on as Row, micros));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function render(off: Row, on: Row, micros: number): string {
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const line = (what: string, a: LoadResult, b: LoadResult) =>
    `| ${what} | ${a.rps.toFixed(0)} | ${b.rps.toFixed(0)} | ${(b.rps / a.rps).toFixed(2)}× | ${a.p50.toFixed(2)} / ${a.p99.toFixed(2)} ms | ${b.p50.toFixed(2)} / ${b.p99.toFixed(2)} ms |`;
  return [
    '## Signature verification: server mode against local mode',
    '',
    `Latest run: ${when} UTC on ${cpus().length} × ${cpus()[0]?.model.split(' ').slice(0, 2).join(' ') ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}.`,
    `Reproduce: \`npm run build && npm run bench:auth\` (needs \`wrk\`). wrk, 1 thread, ${CONNECTIONS} connections, ${SECONDS} s after a 2 s warm-up; the`,
    `modes alternate for ${ROUNDS} rounds and the better round of each is shown. **The machine was shared with other work during this run**:`,
    `figures move between runs; compare the two columns of one run, not runs (1-minute load average at the end: ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores).`,
    'The HTTP route does no verification in either mode (API routes are not signed), so its two columns differ only by that noise.',
    '',
    '| Warm path | Local mode req/s | Server mode req/s | Server / local | Local p50 / p99 | Server p50 / p99 |',
    '| --- | --- | --- | --- | --- | --- |',
    line('HTTP API route → warm Node.js function (unsigned)', off.route, on.route),
    line('DynamoDB GetItem, SigV4-signed (verified in server mode)', off.getItem, on.getItem),
    '',
    `In process, CPU time of one verification of that GetItem (20,000 after 2,000 to warm up; load-independent): **${micros.toFixed(1)} µs**.`,
    'Local mode builds no verifier: its hot path is unchanged.',
  ].join('\n');
}

await main();
