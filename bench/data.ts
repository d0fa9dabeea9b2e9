/**
 * `npm run bench:data`: DynamoDB and S3 throughput through Flint's gateway, beside dynalite and s3rver (npm)
 * in the same run, driven by wrk with prepared requests (a C load generator with one thread, so neither the
 * generator nor an SDK is the bottleneck), plus the generator's own floor against a bare Node server.
 * Writes the "data" section of bench/RESULTS.md. Needs wrk and `npm run bench:setup`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { hasWrk, wrk, type LoadResult } from './lib/http.js';
import { spawnQuiet, stop, waitForOutput } from './lib/processes.js';
import { writeSection } from './lib/results.js';
import { fmt, ratio } from './lib/stats.js';
import { dataScripts, KEYS, prepareDynamo, prepareS3 } from './lib/data-requests.js';

const ROOT = resolve(import.meta.dirname, '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 32;

interface Server {
  url: string;
  close(): Promise<void>;
}

async function nodeScript(script: string, ready: RegExp): Promise<Server & { output: string }> {
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'], cwd: join(ROOT, 'bench/peers') });
  const output = await waitForOutput(child, ready);
  return { url: `http://127.0.0.1:${/port (\d+)/.exec(output)![1]}`, output, close: () => stop(child, 'SIGTERM') };
}

/** dynalite in memory (its default), or on disk (LevelDB) like Flint's durable store when `path` is given. */
function startDynalite(path?: string): Promise<Server> {
  const options = JSON.stringify({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(path ? { path } : {}) });
  return nodeScript(`const s = require('dynalite')(${options}); s.listen(0, '127.0.0.1', () => console.log('port ' + s.address().port));`, /port \d+/);
}

/**
 * The floor for a durable key-value read over HTTP: node:http, one SQLite point read, JSON in and out,
 * nothing else. No emulator can answer GetItem faster on this machine with data on disk.
 */
function sqliteFloor(dir: string): Promise<Server> {
  const db = JSON.stringify(join(dir, 'floor.db'));
  const sqlite = JSON.stringify(join(ROOT, 'node_modules/better-sqlite3'));
  return nodeScript(
    `const db = new (require(${sqlite}))(${db}); db.pragma('journal_mode = WAL');
     db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT)');
     const put = db.prepare('INSERT INTO t VALUES (?, ?)');
     for (let i = 0; i < ${KEYS}; i++) put.run('k' + i, JSON.stringify({ pk: { S: 'k' + i }, value: { S: 'some value' } }));
     const get = db.prepare('SELECT v FROM t WHERE k = ?');
     require('node:http').createServer((req, res) => {
       const chunks = []; req.on('data', (c) => chunks.push(c));
       req.on('end', () => {
         const row = get.get(JSON.parse(Buffer.concat(chunks).toString()).Key.pk.S);
         res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
         res.end(JSON.stringify({ Item: row ? JSON.parse(row.v) : undefined }));
       });
     }).listen(0, '127.0.0.1', function () { console.log('port ' + this.address().port); });`,
    /port \d+/,
  );
}

function startS3rver(dir: string): Promise<Server> {
  return nodeScript(
    `const S3rver = require('s3rver'); const s = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: ${JSON.stringify(dir)}, allowMismatchedSignatures: true }); s.run().then(({ port }) => console.log('port ' + port));`,
    /port \d+/,
  );
}

function bareServer(): Promise<Server> {
  return nodeScript(`require('node:http').createServer((req, res) => { req.resume(); req.on('end', () => res.end('{}')); }).listen(0, '127.0.0.1', function () { console.log('port ' + this.address().port); });`, /port \d+/);
}

async function startFlint(dataDir: string): Promise<Server> {
  const child = spawnQuiet(process.execPath, [join(ROOT, 'bin/flint.js'), 'up', '--port', '0', '--data', dataDir, '--stem-cells', '0']);
  const output = await waitForOutput(child, /stop: Ctrl-C/);
  return { url: /listening on (http:\/\/\S+)/.exec(output)![1]!, close: () => stop(child) };
}

interface Row {
  operation: string;
  flint: LoadResult;
  peer: LoadResult;
  /** dynalite storing on disk, for DynamoDB operations. */
  disk?: LoadResult;
}

async function main(): Promise<void> {
  if (!hasWrk()) throw new Error('bench:data needs wrk (Debian package wrk)');
  const work = mkdtempSync(join(tmpdir(), 'flint-bench-data-'));
  const lua = dataScripts(work);
  const servers: Server[] = [];
  try {
    const bare = await bareServer();
    servers.push(bare);
    console.error('bench: generator floor');
    const floor = wrk(bare.url + '/', SECONDS, CONNECTIONS, lua.GetItem);
    const sqlite = await sqliteFloor(work);
    servers.push(sqlite);
    wrk(sqlite.url + '/', 2, CONNECTIONS, lua.GetItem);
    const readFloor = wrk(sqlite.url + '/', SECONDS, CONNECTIONS, lua.GetItem);
    const flint = await startFlint(join(work, 'flint'));
    const dynalite = await startDynalite();
    const dynaliteDisk = await startDynalite(join(work, 'dynalite'));
    const s3rver = await startS3rver(join(work, 's3rver'));
    servers.push(flint, dynalite, dynaliteDisk, s3rver);
    console.error('bench: preparing data');
    await Promise.all([prepareDynamo(flint.url), prepareDynamo(dynalite.url), prepareDynamo(dynaliteDisk.url), prepareS3(flint.url), prepareS3(s3rver.url)]);
    const rows: Row[] = [];
    for (const [operation, peer] of [
      ['PutItem', dynalite],
      ['GetItem', dynalite],
      ['Query', dynalite],
      ['PutObject', s3rver],
      ['GetObject', s3rver],
    ] as const) {
      console.error(`bench: ${operation}`);
      const script = lua[operation]!;
      wrk(flint.url + '/', 2, CONNECTIONS, script);
      const flintResult = wrk(flint.url + '/', SECONDS, CONNECTIONS, script);
      wrk(peer.url + '/', 2, CONNECTIONS, script);
      const peerResult = wrk(peer.url + '/', SECONDS, CONNECTIONS, script);
      let disk: LoadResult | undefined;
      if (peer === dynalite) {
        wrk(dynaliteDisk.url + '/', 2, CONNECTIONS, script);
        disk = wrk(dynaliteDisk.url + '/', SECONDS, CONNECTIONS, script);
      }
      rows.push({ operation, flint: flintResult, peer: peerResult, disk });
    }
    const markdown = render(floor, readFloor, rows);
    writeSection(join(ROOT, 'bench/RESULTS.md'), 'data', markdown);
    console.log(markdown);
  } finally {
    for (const server of servers.reverse()) await server.close();
    rmSync(work, { recursive: true, force: true });
  }
}

function render(floor: LoadResult, readFloor: LoadResult, rows: Row[]): string {
  const budget = (op: string): number => (op.endsWith('Object') ? 2 : 3);
  const lines = [
    '## Data services: DynamoDB and S3 throughput',
    '',
    `Latest run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB.`,
    `Reproduce: \`npm run build && npm run bench:setup && npm run bench:data\`. wrk, 1 thread, ${CONNECTIONS} connections, ${SECONDS} s per run after a 2 s warm-up, prepared`,
    'requests (DynamoDB JSON 1.0; S3 path-style, 1 KiB objects). Peers: dynalite 4 (in memory) and s3rver 3 (files), same machine, same run.',
    '',
    `Load generator floor (wrk against a bare Node server answering \`{}\`): ${floor.rps.toFixed(0)} req/s, p99 ${fmt(floor.p99)}.`,
    `Durable-read floor (node:http + one SQLite point read + JSON, the GetItem request): ${readFloor.rps.toFixed(0)} req/s, p99 ${fmt(readFloor.p99)}.`,
    '',
    '| Operation | Flint req/s | Flint p50 / p99 | Peer req/s | Peer p50 / p99 | Flint ÷ peer | Budget | Verdict | dynalite on disk req/s (Flint ÷) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of rows) {
    const times = row.flint.rps / row.peer.rps;
    const peer = row.operation.endsWith('Object') ? 's3rver' : 'dynalite';
    lines.push(
      `| ${row.operation} | ${row.flint.rps.toFixed(0)} | ${fmt(row.flint.p50)} / ${fmt(row.flint.p99)} | ${row.peer.rps.toFixed(0)} (${peer}) | ${fmt(row.peer.p50)} / ${fmt(row.peer.p99)} | ${ratio(row.flint.rps, row.peer.rps)} | ≥ ${budget(row.operation)}× | ${times >= budget(row.operation) ? '**met**' : '**not met**'} | ${row.disk ? `${row.disk.rps.toFixed(0)} (${ratio(row.flint.rps, row.disk.rps)})` : '–'} |`,
    );
  }
  lines.push(
    '',
    'Flint writes are durable (SQLite WAL, committed before the answer); dynalite keeps data in memory unless given a path.',
    'The DynamoDB budget (3× dynalite) assumed dynalite near 2k req/s, as an SDK-driven client sees it; with wrk, dynalite 4 in',
    'memory serves several times that, and the durable-read floor above bounds any disk-backed emulator on this machine.',
  );
  return lines.join('\n');
}

await main();
