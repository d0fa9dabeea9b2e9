/**
 * `npm run bench`: cold and warm invocations through Flint's gateway, side by side with the physical floor
 * (a bare `node -e 0` process, a bare Node HTTP server running the same handler in-process), in one run on
 * one machine, reported as ratios. Writes bench/RESULTS.md.
 *
 * Needs wrk (Debian package `wrk`) for the throughput runs; without it those rows say so.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const ROOT = resolve(import.meta.dirname, '..');
const APP = join(ROOT, 'bench/apps/trivial');
const COLD_SAMPLES = Number(process.env.BENCH_COLD_SAMPLES ?? 20);
const WRK_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 32;

/**
 * Floors run with the same minimal environment Flint gives its instances. The inherited environment can
 * cost a lot: on the reference machine NODE_EXTRA_CA_CERTS alone makes every Node.js start load the
 * system's CA certificates (about 60 ms instead of 23 ms), so that variant is reported separately.
 */
const CLEAN_ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' };

interface Stats {
  p50: number;
  p90: number;
  p99: number;
  min: number;
}

interface WrkResult {
  rps: number;
  p50: number;
  p99: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), min: sorted[0]! };
}

/** The floor for a cold start: spawning a Node.js process that does nothing. */
function bareNodeProcess(env: NodeJS.ProcessEnv = CLEAN_ENV): Stats {
  const samples: number[] = [];
  for (let i = 0; i < COLD_SAMPLES + 2; i++) {
    const started = performance.now();
    spawnSync(process.execPath, ['-e', '0'], { env });
    if (i >= 2) samples.push(performance.now() - started);
  }
  return stats(samples);
}

function bareProcess(command: string, args: string[]): Stats {
  const samples: number[] = [];
  for (let i = 0; i < COLD_SAMPLES + 2; i++) {
    const started = performance.now();
    spawnSync(command, args, { env: CLEAN_ENV });
    if (i >= 2) samples.push(performance.now() - started);
  }
  return stats(samples);
}

/** Start-up without teardown: from spawn until a bare Node.js process has written its first byte. */
async function bareNodeFirstOutput(): Promise<Stats> {
  const samples: number[] = [];
  for (let i = 0; i < COLD_SAMPLES + 2; i++) {
    const started = performance.now();
    const child = spawn(process.execPath, ['-e', "process.stdout.write('1')"], { stdio: ['ignore', 'pipe', 'ignore'], env: CLEAN_ENV });
    await new Promise<void>((resolveFirst) => child.stdout!.once('data', () => resolveFirst()));
    if (i >= 2) samples.push(performance.now() - started);
    await new Promise((resolveExit) => child.once('exit', resolveExit));
  }
  return stats(samples);
}

function hasWrk(): boolean {
  return spawnSync('sh', ['-c', 'command -v wrk']).status === 0;
}

/** wrk with one thread (the machine has two cores; the other is the server's) and 32 connections. */
function wrk(url: string): WrkResult {
  const output = execFileSync('wrk', ['-t1', `-c${CONNECTIONS}`, `-d${WRK_SECONDS}s`, '--latency', url], { encoding: 'utf8' });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1]);
  const latency = (label: string): number => {
    const match = new RegExp(`\\s${label}%\\s+([\\d.]+)(us|ms|s)`).exec(output);
    if (!match) return NaN;
    const value = Number(match[1]);
    return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
  };
  return { rps, p50: latency('50'), p99: latency('99') };
}

/** A plain Node HTTP server calling the same handler in-process: the best a gateway could hope for. */
async function bareServer(): Promise<{ url: string; stop: () => void }> {
  const script = `
    const http = require('node:http');
    const { handler } = require(${JSON.stringify(join(APP, 'handler.js'))});
    http.createServer(async (req, res) => {
      const out = await handler({});
      res.writeHead(out.statusCode, out.headers);
      res.end(out.body);
    }).listen(0, '127.0.0.1', function () { console.log('port ' + this.address().port); });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolvePort) => child.stdout!.on('data', (d: Buffer) => resolvePort(/port (\d+)/.exec(d.toString())?.[1] ?? '')));
  return { url: `http://127.0.0.1:${port}/`, stop: () => child.kill() };
}

/** An app with one route per cold-start sample, so each first request meets no warm instance. */
function writeBenchApp(dir: string): void {
  copyFileSync(join(APP, 'handler.js'), join(dir, 'handler.js'));
  copyFileSync(join(APP, 'handler.py'), join(dir, 'handler.py'));
  copyFileSync(join(APP, 'package.json'), join(dir, 'package.json'));
  const fns: string[] = [];
  for (let i = 0; i < COLD_SAMPLES + 1; i++) {
    fns.push(`  node${i}:\n    runtime: nodejs20.x\n    handler: handler.handler\n    bundle: false\n    events:\n      - http: GET /node/${i}`);
    fns.push(`  py${i}:\n    runtime: python3.11\n    handler: handler.handler\n    events:\n      - http: GET /py/${i}`);
  }
  writeFileSync(join(dir, 'flint.yaml'), `app: bench\nfunctions:\n${fns.join('\n')}\n`);
}

async function startFlint(appDir: string, dataDir: string): Promise<{ url: string; child: ChildProcess; isolation: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin/flint.js'), 'up', appDir, '--port', '0', '--data', dataDir, '--no-watch'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let output = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const onData = (d: Buffer): void => {
      output += d.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match && output.includes('stop: Ctrl-C')) resolveUrl(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', () => reject(new Error(`flint up exited:\n${output}`)));
  });
  return { url, child, isolation: /isolation: (\w+)/.exec(output)?.[1] ?? 'unknown' };
}

async function timedGet(url: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(url);
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return performance.now() - started;
}

async function coldStarts(base: string, kind: 'node' | 'py'): Promise<Stats> {
  const samples: number[] = [];
  for (let i = 1; i <= COLD_SAMPLES; i++) samples.push(await timedGet(`${base}/${kind}/${i}`));
  return stats(samples);
}

/** Warm latency one request at a time (no queueing), the other half of the cold-start picture. */
async function warmSequential(url: string): Promise<Stats> {
  await timedGet(url);
  const samples: number[] = [];
  for (let i = 0; i < 200; i++) samples.push(await timedGet(url));
  return stats(samples);
}

/** What earlier runs taught; kept with the figures so the next person reads them together. */
const NOTES = `## Notes

- The environment matters more than the runtime for a bare Node.js start: \`NODE_EXTRA_CA_CERTS\` (set on the
  reference machine) makes every start read the system's CA bundle, about 35 ms. Instances get Lambda's
  minimal environment, so the floors do too; the first row shows the inherited-environment figure.
- Any non-default V8 flag (\`--max-old-space-size\` included) makes V8 refuse Node's built-in code cache and costs
  about 6 ms per start. Flint passes none; memory limits are enforced by sampling the process tree.
- Cold starts here are spawn → bootstrap → init → first response with no pre-started process. Stem cells
  (pre-started generic processes, the invoker issue) are what takes them to milliseconds.
- Warm throughput follows Lambda's model: one event at a time per instance, so 32 connections run 32
  instance processes, on 2 cores shared with the load generator. A CPU profile of the node under this load
  shows it idle a third of the time; socket writes (responses and channel frames) and the log store's
  batched inserts (START/END/REPORT per invocation) are its largest costs.
`;

function fmt(ms: number): string {
  return Number.isFinite(ms) ? `${ms.toFixed(2)} ms` : 'n/a';
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'flint-bench-'));
  const appDir = join(work, 'app');
  const dataDir = join(work, 'data');
  mkdirSync(appDir, { recursive: true });
  writeBenchApp(appDir);
  console.error('bench: floors');
  const nodeFloor = bareNodeProcess();
  const emptyScript = join(work, 'empty.js');
  writeFileSync(emptyScript, '');
  const nodeFileFloor = bareProcess(process.execPath, [emptyScript]);
  const nodeFirstOutput = await bareNodeFirstOutput();
  const nodeInheritedEnv = bareNodeProcess(process.env);
  const pythonFloor = bareProcess('/usr/bin/python3', ['-c', '0']);
  console.error('bench: starting flint');
  const flint = await startFlint(appDir, dataDir);
  try {
    await timedGet(`${flint.url}/node/0`); // first request: extraction of the code package, JIT of the gateway
    console.error('bench: cold starts');
    const nodeCold = await coldStarts(flint.url, 'node');
    const pyCold = await coldStarts(flint.url, 'py');
    console.error('bench: warm');
    const warmSeq = await warmSequential(`${flint.url}/node/0`);
    let flintWrk: WrkResult | undefined;
    let bareWrk: WrkResult | undefined;
    if (hasWrk()) {
      wrk(`${flint.url}/node/0`); // warm-up: scale out to one instance per connection, as Lambda would
      flintWrk = wrk(`${flint.url}/node/0`);
      const bare = await bareServer();
      try {
        wrk(bare.url); // warm-up
        bareWrk = wrk(bare.url);
      } finally {
        bare.stop();
      }
    }
    const report = renderResults({ isolation: flint.isolation, nodeFloor, nodeFileFloor, nodeFirstOutput, nodeInheritedEnv, pythonFloor, nodeCold, pyCold, warmSeq, flintWrk, bareWrk });
    writeFileSync(join(ROOT, 'bench/RESULTS.md'), report);
    console.log(report);
  } finally {
    flint.child.kill('SIGINT');
    await new Promise((r) => flint.child.on('exit', r));
    rmSync(work, { recursive: true, force: true });
  }
}

interface Results {
  isolation: string;
  nodeFloor: Stats;
  nodeFileFloor: Stats;
  nodeFirstOutput: Stats;
  nodeInheritedEnv: Stats;
  pythonFloor: Stats;
  nodeCold: Stats;
  pyCold: Stats;
  warmSeq: Stats;
  flintWrk?: WrkResult;
  bareWrk?: WrkResult;
}

function renderResults(r: Results): string {
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const lines = [
    '# Benchmark results',
    '',
    `Latest run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine}.`,
    'Reproduce with `npm run build && npm run bench` (needs `wrk`, Debian package `wrk`, for the throughput rows).',
    'Floors run with the minimal environment Flint gives its instances (PATH, LANG); see the note in bench/run.ts.',
    `Flint sandbox: ${r.isolation}. Cold samples: ${COLD_SAMPLES} per runtime; throughput: wrk, 1 thread, ${CONNECTIONS} connections, ${WRK_SECONDS} s.`,
    '',
    '## Cold start (no warm instance, no stem cell), trivial handler, HTTP request to response through the gateway',
    '',
    '| What | p50 | p90 | min | Ratio to floor (p50) |',
    '| --- | --- | --- | --- | --- |',
    `| Bare \`node -e 0\` in this shell's environment (NODE_EXTRA_CA_CERTS etc.) | ${fmt(r.nodeInheritedEnv.p50)} | ${fmt(r.nodeInheritedEnv.p90)} | ${fmt(r.nodeInheritedEnv.min)} | ${(r.nodeInheritedEnv.p50 / r.nodeFloor.p50).toFixed(2)}× |`,
    `| Floor: bare \`node -e 0\` process, minimal environment | ${fmt(r.nodeFloor.p50)} | ${fmt(r.nodeFloor.p90)} | ${fmt(r.nodeFloor.min)} | 1.00× |`,
    `| Floor: bare \`node empty.js\` process | ${fmt(r.nodeFileFloor.p50)} | ${fmt(r.nodeFileFloor.p90)} | ${fmt(r.nodeFileFloor.min)} | ${(r.nodeFileFloor.p50 / r.nodeFloor.p50).toFixed(2)}× |`,
    `| Bare Node.js process, spawn to first output (no exit teardown) | ${fmt(r.nodeFirstOutput.p50)} | ${fmt(r.nodeFirstOutput.p90)} | ${fmt(r.nodeFirstOutput.min)} | ${(r.nodeFirstOutput.p50 / r.nodeFloor.p50).toFixed(2)}× |`,
    `| Flint, Node.js function | ${fmt(r.nodeCold.p50)} | ${fmt(r.nodeCold.p90)} | ${fmt(r.nodeCold.min)} | ${(r.nodeCold.p50 / r.nodeFloor.p50).toFixed(2)}× |`,
    `| Floor: bare \`python3 -c 0\` process | ${fmt(r.pythonFloor.p50)} | ${fmt(r.pythonFloor.p90)} | ${fmt(r.pythonFloor.min)} | 1.00× |`,
    `| Flint, Python function | ${fmt(r.pyCold.p50)} | ${fmt(r.pyCold.p90)} | ${fmt(r.pyCold.min)} | ${(r.pyCold.p50 / r.pythonFloor.p50).toFixed(2)}× |`,
    '',
    '## Warm, same handler',
    '',
    '| What | Requests/s | p50 | p99 | Ratio (throughput) |',
    '| --- | --- | --- | --- | --- |',
  ];
  if (r.flintWrk && r.bareWrk) {
    lines.push(`| Floor: bare Node HTTP server, handler in-process | ${r.bareWrk.rps.toFixed(0)} | ${fmt(r.bareWrk.p50)} | ${fmt(r.bareWrk.p99)} | 1.00× |`);
    lines.push(`| Flint: gateway → API Gateway v2 event → isolated instance | ${r.flintWrk.rps.toFixed(0)} | ${fmt(r.flintWrk.p50)} | ${fmt(r.flintWrk.p99)} | ${(r.flintWrk.rps / r.bareWrk.rps).toFixed(2)}× |`);
  } else {
    lines.push('| wrk not installed | – | – | – | – |');
  }
  lines.push(`| Flint, one request at a time (200 sequential) | – | ${fmt(r.warmSeq.p50)} | ${fmt(r.warmSeq.p99)} | – |`);
  lines.push('', NOTES);
  return lines.join('\n');
}

await main();
