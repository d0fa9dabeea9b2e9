/**
 * `npm run bench`: Flint's invocation budgets, side by side with the physical floor (bare processes, a bare
 * Node HTTP server running the same handler in-process) and with serverless-offline, in one run on one
 * machine, reported as ratios. Writes the "functions" section of bench/RESULTS.md.
 *
 * Needs wrk (Debian package `wrk`) for throughput, and the peers installed once with `npm run bench:setup`.
 * BENCH_SECONDS (default 10) and BENCH_COLD_SAMPLES (default 20) shorten or lengthen a run.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { FixedKeepAlive, HybridHistogramKeepAlive, loadAzureTrace, replayTrace, type ReplayReport } from '../src/invoker/index.js';
import { hasWrk, RequestTimer, timedGet, wrk, type LoadResult } from './lib/http.js';
import { descendants, processTime, rssMb, sleep, spawnQuiet, stop, waitForOutput } from './lib/processes.js';
import { fmt, ratio, stats, type Stats } from './lib/stats.js';
import { writeSection } from './lib/results.js';

const ROOT = resolve(import.meta.dirname, '..');
const APP = join(ROOT, 'bench/apps/trivial');
const PEERS = join(ROOT, 'bench/peers/node_modules');
const COLD_SAMPLES = Number(process.env.BENCH_COLD_SAMPLES ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 32;
const IDLE_FUNCTIONS = 100;
const TRACE = process.env.BENCH_TRACE ?? resolve(ROOT, '../shared/traces/azure2019/100_inv.csv');

interface Flint {
  url: string;
  pid: number;
  isolation: string;
  close(): Promise<void>;
}

/** An app with one route per function; every function runs the same trivial handler. */
function writeApp(dir: string, count: number, runtimes: Array<'node' | 'py'>): void {
  mkdirSync(dir, { recursive: true });
  for (const file of ['handler.js', 'handler.py', 'package.json']) copyFileSync(join(APP, file), join(dir, file));
  const fns: string[] = [];
  for (let i = 0; i < count; i++) {
    if (runtimes.includes('node')) fns.push(`  node${i}:\n    runtime: nodejs20.x\n    handler: handler.handler\n    bundle: false\n    events:\n      - http: GET /node/${i}`);
    if (runtimes.includes('py')) fns.push(`  py${i}:\n    runtime: python3.11\n    handler: handler.handler\n    events:\n      - http: GET /py/${i}`);
  }
  writeFileSync(join(dir, 'flint.yaml'), `app: bench\nfunctions:\n${fns.join('\n')}\n`);
}

async function startFlint(appDir: string, dataDir: string, extra: string[] = []): Promise<Flint> {
  const child = spawnQuiet(process.execPath, [join(ROOT, 'bin/flint.js'), 'up', appDir, '--port', '0', '--data', dataDir, '--no-watch', ...extra]);
  const output = await waitForOutput(child, /stop: Ctrl-C/);
  return {
    url: /listening on (http:\/\/\S+)/.exec(output)![1]!,
    pid: child.pid!,
    isolation: /isolation: (\w+)/.exec(output)?.[1] ?? 'unknown',
    close: () => stop(child),
  };
}

/**
 * Cold starts: a request to a function with no instance, pausing so the stem cell pool refills between.
 * `client` 'fetch' times the same requests with undici's fetch instead, to show what a heavier client adds.
 */
async function coldStarts(base: string, kind: 'node' | 'py', pauseMs: number, first = 1, client: 'raw' | 'fetch' = 'raw'): Promise<Stats> {
  const timer = await RequestTimer.open(base);
  const get = (path: string): Promise<number> => (client === 'raw' ? timer.get(path) : timedGet(base + path));
  try {
    if (first === 1) await get(`/${kind}/0`); // the node's own first request (gateway JIT, code extraction)
    await sleep(pauseMs);
    const samples: number[] = [];
    for (let i = first; i < first + COLD_SAMPLES; i++) {
      samples.push(await get(`/${kind}/${i}`));
      await sleep(pauseMs);
    }
    return stats(samples);
  } finally {
    timer.close();
  }
}

/** A warm instance, each request after the same pause the cold-start samples take: what idleness alone costs. */
async function warmAfterPause(base: string, path: string, pauseMs: number): Promise<Stats> {
  const timer = await RequestTimer.open(base);
  try {
    await timer.get(path);
    const samples: number[] = [];
    for (let i = 0; i < COLD_SAMPLES; i++) {
      await sleep(pauseMs);
      samples.push(await timer.get(path));
    }
    return stats(samples);
  } finally {
    timer.close();
  }
}

async function warmSequential(base: string, path: string): Promise<Stats> {
  const timer = await RequestTimer.open(base);
  try {
    await timer.get(path);
    const samples: number[] = [];
    for (let i = 0; i < 300; i++) samples.push(await timer.get(path));
    return stats(samples);
  } finally {
    timer.close();
  }
}

async function bareServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const script = `
    const http = require('node:http');
    const { handler } = require(${JSON.stringify(join(APP, 'handler.js'))});
    http.createServer(async (req, res) => {
      const out = await handler({});
      res.writeHead(out.statusCode, out.headers);
      res.end(out.body);
    }).listen(0, '127.0.0.1', function () { console.log('port ' + this.address().port); });`;
  const child = spawnQuiet(process.execPath, ['-e', script]);
  const output = await waitForOutput(child, /port \d+/);
  return { url: `http://127.0.0.1:${/port (\d+)/.exec(output)![1]}/`, close: () => stop(child, 'SIGTERM') };
}

/** serverless-offline serving the same handler behind an httpApi route, if the peers are installed. */
async function serverlessOffline(work: string): Promise<{ url: string; firstMs: number; close: () => Promise<void> } | undefined> {
  const bin = join(PEERS, '.bin/serverless');
  if (!existsSync(bin)) return undefined;
  const dir = join(work, 'sls');
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(APP, 'handler.js'), join(dir, 'handler.js'));
  copyFileSync(join(APP, 'package.json'), join(dir, 'package.json'));
  symlinkSync(PEERS, join(dir, 'node_modules'));
  writeFileSync(
    join(dir, 'serverless.yml'),
    `service: bench\nframeworkVersion: '3'\nprovider:\n  name: aws\n  runtime: nodejs20.x\nplugins:\n  - serverless-offline\ncustom:\n  serverless-offline:\n    httpPort: 4611\n    lambdaPort: 4612\n    noPrependStageInUrl: true\nfunctions:\n  hello:\n    handler: handler.handler\n    events:\n      - httpApi:\n          method: GET\n          path: /hello\n`,
  );
  const child = spawn(bin, ['offline', 'start'], { cwd: dir, env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' }, stdio: ['ignore', 'pipe', 'pipe'] });
  await waitForOutput(child, /Server ready/, 120_000);
  const url = 'http://127.0.0.1:4611/hello';
  const firstMs = await timedGet(url);
  return { url, firstMs, close: () => stop(child) };
}

/** After the keep-alive, with 100 functions deployed and each invoked once: function processes and RSS. */
/**
 * RSS of an idle node: deployed, every function invoked once, instances reaped after a 2 s keep-alive. Reported
 * right after the reaping and 30 s later, once V8's memory reducer has run (it shrinks the heap some 10 s into idleness).
 */
async function idleNode(work: string): Promise<Results['idle']> {
  const appDir = join(work, 'idle-app');
  writeApp(appDir, IDLE_FUNCTIONS, ['node']);
  const flint = await startFlint(appDir, join(work, 'idle-data'), ['--keep-alive', '2']);
  try {
    for (let i = 0; i < IDLE_FUNCTIONS; i++) await timedGet(`${flint.url}/node/${i}`);
    const busyProcesses = descendants(flint.pid).length;
    await sleep(4000);
    const processes = descendants(flint.pid).length;
    const reapedRssMb = rssMb(flint.pid);
    await sleep(30_000);
    const settledRssMb = rssMb(flint.pid);
    return { processes, reapedRssMb, settledRssMb, busyProcesses };
  } finally {
    await flint.close();
  }
}

async function replays(): Promise<Array<[string, ReplayReport]> | undefined> {
  if (!existsSync(TRACE)) return undefined;
  const trace = await loadAzureTrace(TRACE);
  const out: Array<[string, ReplayReport]> = [];
  for (const [label, policy] of [
    ['fixed 10 min', new FixedKeepAlive(10 * 60_000)],
    ['fixed 5 min', new FixedKeepAlive(5 * 60_000)],
    ['fixed 30 min', new FixedKeepAlive(30 * 60_000)],
    ['fixed 60 min', new FixedKeepAlive(60 * 60_000)],
    ['adaptive (histogram, cost; default)', new HybridHistogramKeepAlive()],
    ['adaptive (paper percentiles, pre-warm)', new HybridHistogramKeepAlive({ strategy: 'percentile' })],
  ] as const) {
    console.error(`bench: replay ${label}`);
    out.push([label, await replayTrace(trace, policy)]);
  }
  return out;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'flint-bench-'));
  const results: Results = { machine: `${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}` } as Results;
  try {
    console.error('bench: floors');
    results.nodeFloor = processTime(process.execPath, ['-e', '0'], COLD_SAMPLES);
    results.nodeInherited = processTime(process.execPath, ['-e', '0'], COLD_SAMPLES, process.env);
    results.pythonFloor = processTime('/usr/bin/python3', ['-c', '0'], COLD_SAMPLES);

    const appDir = join(work, 'app');
    writeApp(appDir, 2 * COLD_SAMPLES + 1, ['node', 'py']);
    console.error('bench: cold starts with stem cells');
    const flint = await startFlint(appDir, join(work, 'data'));
    results.isolation = flint.isolation;
    try {
      results.stemNode = await coldStarts(flint.url, 'node', 300);
      results.stemPython = await coldStarts(flint.url, 'py', 300);
      results.stemNodeFetch = await coldStarts(flint.url, 'node', 300, COLD_SAMPLES + 1, 'fetch');
      console.error('bench: warm');
      results.warmSequential = await warmSequential(flint.url, '/node/0');
      results.warmAfterPause = await warmAfterPause(flint.url, '/node/0', 300);
      if (hasWrk()) {
        wrk(`${flint.url}/node/0`, 3, CONNECTIONS); // warm-up: scale out as Lambda would
        results.flintLoad = wrk(`${flint.url}/node/0`, SECONDS, CONNECTIONS);
      }
    } finally {
      await flint.close();
    }
    console.error('bench: cold starts without stem cells');
    await sleep(3000); // the loaded node's instances are still exiting: let the machine settle
    const plain = await startFlint(appDir, join(work, 'data-plain'), ['--stem-cells', '0']);
    try {
      results.coldNode = await coldStarts(plain.url, 'node', 50);
      results.coldPython = await coldStarts(plain.url, 'py', 50);
    } finally {
      await plain.close();
    }
    if (hasWrk()) {
      console.error('bench: bare server');
      const bare = await bareServer();
      try {
        wrk(bare.url, 3, CONNECTIONS);
        results.bareLoad = wrk(bare.url, SECONDS, CONNECTIONS);
      } finally {
        await bare.close();
      }
      console.error('bench: serverless-offline');
      const sls = await serverlessOffline(work);
      if (sls) {
        try {
          results.slsFirst = sls.firstMs;
          wrk(sls.url, 3, CONNECTIONS);
          results.slsLoad = wrk(sls.url, SECONDS, CONNECTIONS);
        } finally {
          await sls.close();
        }
      }
    }
    console.error('bench: idle node');
    results.idle = await idleNode(work);
    results.replays = await replays();
    const report = render(results);
    writeSection(join(ROOT, 'bench/RESULTS.md'), 'functions', report);
    console.log(report);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

interface Results {
  machine: string;
  isolation: string;
  nodeFloor: Stats;
  nodeInherited: Stats;
  pythonFloor: Stats;
  stemNode: Stats;
  stemNodeFetch: Stats;
  stemPython: Stats;
  coldNode: Stats;
  coldPython: Stats;
  warmSequential: Stats;
  warmAfterPause: Stats;
  flintLoad?: LoadResult;
  bareLoad?: LoadResult;
  slsLoad?: LoadResult;
  slsFirst?: number;
  idle: { processes: number; reapedRssMb: number; settledRssMb: number; busyProcesses: number };
  replays?: Array<[string, ReplayReport]>;
}

function verdict(met: boolean): string {
  return met ? '**met**' : '**not met**';
}

function render(r: Results): string {
  const lines: string[] = [
    '## Functions: cold starts, warm throughput, idle, keep-alive',
    '',
    `Latest run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${r.machine}; Flint sandbox: ${r.isolation}.`,
    'Reproduce: `npm run build && npm run bench:setup && npm run bench` (needs `wrk`, Debian package `wrk`).',
    `Cold samples: ${COLD_SAMPLES} per row; throughput: wrk, 1 thread, ${CONNECTIONS} connections, ${SECONDS} s after a 3 s warm-up.`,
    'Floors run with the minimal environment Flint gives its instances (PATH, LANG); see the notes.',
    '',
    '### Budgets',
    '',
    '| Budget | Figure | Verdict |',
    '| --- | --- | --- |',
    `| Cold start with a stem cell ready, Node.js, p50 ≤ 5 ms | ${fmt(r.stemNode.p50)} | ${verdict(r.stemNode.p50 <= 5)} |`,
    `| Cold start with a stem cell ready, Python, p50 ≤ 15 ms | ${fmt(r.stemPython.p50)} | ${verdict(r.stemPython.p50 <= 15)} |`,
    `| Cold start without stem cell ≤ 1.2× bare \`node -e 0\` | ${ratio(r.coldNode.p50, r.nodeFloor.p50)} (${fmt(r.coldNode.p50)} vs ${fmt(r.nodeFloor.p50)}) | ${verdict(r.coldNode.p50 <= 1.2 * r.nodeFloor.p50)} |`,
  ];
  if (r.flintLoad && r.bareLoad) {
    lines.push(`| Warm throughput at ${CONNECTIONS} connections ≥ 50% of a bare Node server | ${ratio(r.flintLoad.rps, r.bareLoad.rps)} (${r.flintLoad.rps.toFixed(0)} vs ${r.bareLoad.rps.toFixed(0)} req/s) | ${verdict(r.flintLoad.rps >= 0.5 * r.bareLoad.rps)} |`);
    lines.push(`| Warm p99 ≤ 3 ms (at ${CONNECTIONS} connections) | ${fmt(r.flintLoad.p99)} | ${verdict(r.flintLoad.p99 <= 3)} |`);
  }
  lines.push(`| Idle: zero function processes after keep-alive, 100 functions deployed | ${r.idle.processes} (were ${r.idle.busyProcesses}) | ${verdict(r.idle.processes === 0)} |`);
  lines.push(`| Idle: node RSS ≤ 80 MB with 100 functions deployed (30 s idle; 4 s after reaping) | ${r.idle.settledRssMb.toFixed(1)} MB; ${r.idle.reapedRssMb.toFixed(1)} MB | ${verdict(r.idle.settledRssMb <= 80)} |`);
  const fixed = r.replays?.find(([l]) => l === 'fixed 10 min')?.[1];
  const adaptive = r.replays?.find(([l]) => l.startsWith('adaptive (histogram'))?.[1];
  if (fixed && adaptive) {
    const met = adaptive.coldStarts <= fixed.coldStarts / 2 && adaptive.idleGbSeconds <= fixed.idleGbSeconds;
    lines.push(`| Adaptive keep-alive: ≤ ½ the cold starts of fixed 10 min for no more idle memory | ${ratio(adaptive.coldStarts, fixed.coldStarts)} cold starts, ${ratio(adaptive.idleGbSeconds, fixed.idleGbSeconds)} idle memory | ${verdict(met)}; trade-off table below |`);
  }
  lines.push(
    '',
    '### Cold start: request to response through the gateway, trivial handler',
    '',
    '| What | p50 | p90 | min | Ratio to its floor (p50) |',
    '| --- | --- | --- | --- | --- |',
    `| Floor: bare \`node -e 0\`, minimal environment | ${fmt(r.nodeFloor.p50)} | ${fmt(r.nodeFloor.p90)} | ${fmt(r.nodeFloor.min)} | 1.00× |`,
    `| Bare \`node -e 0\` in this shell's environment (NODE_EXTRA_CA_CERTS …) | ${fmt(r.nodeInherited.p50)} | ${fmt(r.nodeInherited.p90)} | ${fmt(r.nodeInherited.min)} | ${ratio(r.nodeInherited.p50, r.nodeFloor.p50)} |`,
    `| Flint, Node.js, stem cell ready | ${fmt(r.stemNode.p50)} | ${fmt(r.stemNode.p90)} | ${fmt(r.stemNode.min)} | ${ratio(r.stemNode.p50, r.nodeFloor.p50)} |`,
    `| Flint, Node.js, stem cell ready, timed with fetch (undici) instead | ${fmt(r.stemNodeFetch.p50)} | ${fmt(r.stemNodeFetch.p90)} | ${fmt(r.stemNodeFetch.min)} | ${ratio(r.stemNodeFetch.p50, r.nodeFloor.p50)} |`,
    `| Flint, Node.js, warm instance, after the same 300 ms pause (not a cold start: the idle floor) | ${fmt(r.warmAfterPause.p50)} | ${fmt(r.warmAfterPause.p90)} | ${fmt(r.warmAfterPause.min)} | – |`,
    `| Flint, Node.js, no stem cell | ${fmt(r.coldNode.p50)} | ${fmt(r.coldNode.p90)} | ${fmt(r.coldNode.min)} | ${ratio(r.coldNode.p50, r.nodeFloor.p50)} |`,
    `| Floor: bare \`python3 -c 0\` | ${fmt(r.pythonFloor.p50)} | ${fmt(r.pythonFloor.p90)} | ${fmt(r.pythonFloor.min)} | 1.00× |`,
    `| Flint, Python, stem cell ready | ${fmt(r.stemPython.p50)} | ${fmt(r.stemPython.p90)} | ${fmt(r.stemPython.min)} | ${ratio(r.stemPython.p50, r.pythonFloor.p50)} |`,
    `| Flint, Python, no stem cell | ${fmt(r.coldPython.p50)} | ${fmt(r.coldPython.p90)} | ${fmt(r.coldPython.min)} | ${ratio(r.coldPython.p50, r.pythonFloor.p50)} |`,
  );
  if (r.slsFirst !== undefined) lines.push(`| serverless-offline 13, first request after start (one sample) | ${fmt(r.slsFirst)} | – | – | ${ratio(r.slsFirst, r.nodeFloor.p50)} |`);
  lines.push('', '### Warm, same handler', '', '| What | Requests/s | p50 | p99 | Throughput vs bare server |', '| --- | --- | --- | --- | --- |');
  const load = (label: string, l: LoadResult | undefined): void => {
    if (l) lines.push(`| ${label} | ${l.rps.toFixed(0)} | ${fmt(l.p50)} | ${fmt(l.p99)} | ${ratio(l.rps, r.bareLoad?.rps ?? NaN)} |`);
  };
  load('Floor: bare Node HTTP server, handler in-process', r.bareLoad);
  load('Flint: gateway → API Gateway v2 event → isolated instances', r.flintLoad);
  load('serverless-offline 13 (httpApi, worker threads)', r.slsLoad);
  lines.push(`| Flint, one request at a time (300 sequential) | – | ${fmt(r.warmSequential.p50)} | ${fmt(r.warmSequential.p99)} | – |`);
  if (r.replays) {
    lines.push('', `### Keep-alive policies on the Azure Functions 2019 sample (\`flint replay ${TRACE.split('/').slice(-1)[0]}\`)`, '');
    lines.push('| Policy | Invocations | Cold starts | Cold-start rate | Instance starts | Idle GB-s | vs fixed 10 min (cold / idle) |', '| --- | --- | --- | --- | --- | --- | --- |');
    for (const [label, x] of r.replays) {
      lines.push(`| ${label} | ${x.invocations} | ${x.coldStarts} | ${(x.coldStartRate * 100).toFixed(2)}% | ${x.instanceStarts} | ${x.idleGbSeconds.toFixed(0)} | ${fixed ? `${ratio(x.coldStarts, fixed.coldStarts)} / ${ratio(x.idleGbSeconds, fixed.idleGbSeconds)}` : ''} |`);
    }
  }
  lines.push('', NOTES);
  return lines.join('\n');
}

/** What earlier runs taught; kept with the figures so the next person reads them together. */
const NOTES = `### Notes

- The environment matters more than the runtime for a bare Node.js start: \`NODE_EXTRA_CA_CERTS\` (set on the
  reference machine) makes every start read the system's CA bundle, about 35 ms. Instances get Lambda's
  minimal environment, so the floors do too; the inherited-environment figure is shown beside them.
- Any non-default V8 flag (\`--max-old-space-size\` included) makes V8 refuse Node's built-in code cache and costs
  about 6 ms per start. Flint passes none; memory limits are enforced by sampling the process tree.
- Requests are timed as wrk times them: one kept-alive connection, from writing the request to the last byte
  of the response (bench/lib/http.ts RequestTimer). undici's fetch added 1–2 ms to a request made after an
  idle pause in some runs and nothing in others; the same cold starts timed with it are shown beside.
- Every cold-start sample follows a pause (so the stem cell pool refills), and on this VM anything after a pause
  is slower: idle vCPUs wake up slowly. The row "warm instance, after the same pause" is that floor.
- A cold start writes the event right behind the init frame, so the process runs it without another round
  trip; the stem cell taken is replaced 30 ms later, not during the start it serves.
- A stem cell is a bootstrap process started ahead and waiting for its init frame; it warms its own module
  loading while it waits. Specialising it hard-links the code into its private /var/task and loads the handler.
- Warm throughput follows Lambda's model: one event at a time per instance, so 32 connections run up to 32
  instance processes, on 2 cores shared with the load generator and the gateway.
- Replay: each minute's invocations are spread evenly over the minute, each runs for its function's average
  duration, instances take 250 ms to start. Most cold starts in this sample are scale-out of a few bursty,
  long-running functions, which no keep-alive window avoids.
`;

await main();
