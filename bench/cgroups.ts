/**
 * What a cgroup per instance costs (issue 14): cold starts (no stem cell, and with one) and warm throughput of the
 * trivial Node.js function, on one node with cgroups and one without (`flint up --no-cgroups`), in one run.
 * Writes the "cgroups" section of bench/RESULTS.md. Run as root (or in a delegated cgroup): `npm run build &&
 * node --import tsx bench/cgroups.ts`.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { hasWrk, RequestTimer, wrk, type LoadResult } from './lib/http.js';
import { sleep, spawnQuiet, stop, waitForOutput } from './lib/processes.js';
import { writeSection } from './lib/results.js';
import { fmt, stats, type Stats } from './lib/stats.js';

const ROOT = resolve(import.meta.dirname, '..');
const APP = join(ROOT, 'bench/apps/trivial');
const SAMPLES = Number(process.env.BENCH_COLD_SAMPLES ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 32;

interface Figures {
  isolation: string;
  cold: Stats;
  stem: Stats;
  sequential: Stats;
  load?: LoadResult;
}

function writeApp(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const file of ['handler.js', 'package.json']) copyFileSync(join(APP, file), join(dir, file));
  const fns = Array.from({ length: 2 * SAMPLES + 1 }, (_, i) => `  node${i}:\n    runtime: nodejs20.x\n    handler: handler.handler\n    bundle: false\n    events:\n      - http: GET /node/${i}`);
  writeFileSync(join(dir, 'flint.yaml'), `app: bench\nfunctions:\n${fns.join('\n')}\n`);
}

async function measure(appDir: string, dataDir: string, extra: string[]): Promise<Figures> {
  const run = async (args: string[]) => {
    const child = spawnQuiet(process.execPath, [join(ROOT, 'bin/flint.js'), 'up', appDir, '--port', '0', '--data', dataDir, '--no-watch', ...extra, ...args]);
    const output = await waitForOutput(child, /stop: Ctrl-C/);
    return { url: /listening on (http:\/\/\S+)/.exec(output)![1]!, isolation: /isolation: (.*)/.exec(output)?.[1] ?? 'unknown', close: () => stop(child) };
  };
  const plain = await run(['--stem-cells', '0']);
  let cold: Stats;
  try {
    cold = await coldStarts(plain.url, 0, 50);
  } finally {
    await plain.close();
  }
  await sleep(2000);
  const node = await run([]);
  try {
    const stem = await coldStarts(node.url, SAMPLES, 300);
    const timer = await RequestTimer.open(node.url);
    const samples: number[] = [];
    try {
      for (let i = 0; i < 300; i++) samples.push(await timer.get('/node/0'));
    } finally {
      timer.close();
    }
    let load: LoadResult | undefined;
    if (hasWrk()) {
      wrk(`${node.url}/node/0`, 3, CONNECTIONS);
      load = wrk(`${node.url}/node/0`, SECONDS, CONNECTIONS);
    }
    return { isolation: node.isolation, cold, stem, sequential: stats(samples), load };
  } finally {
    await node.close();
  }
}

async function coldStarts(base: string, first: number, pauseMs: number): Promise<Stats> {
  const timer = await RequestTimer.open(base);
  try {
    await timer.get(`/node/${first === 0 ? 2 * SAMPLES : 0}`); // the node's own first request
    const samples: number[] = [];
    for (let i = first; i < first + SAMPLES; i++) {
      await sleep(pauseMs);
      samples.push(await timer.get(`/node/${i}`));
    }
    return stats(samples);
  } finally {
    timer.close();
  }
}

function x(on: number, off: number): string {
  return `${(on / off).toFixed(2)}×`;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'flint-bench-cgroups-'));
  try {
    const appDir = join(work, 'app');
    writeApp(appDir);
    console.error('bench: cgroups on');
    const on = await measure(appDir, join(work, 'on'), []);
    await sleep(2000);
    console.error('bench: cgroups off');
    const off = await measure(appDir, join(work, 'off'), ['--no-cgroups']);
    const rows = [
      `| Cold start, Node.js, no stem cell (p50 / p90) | ${fmt(on.cold.p50)} / ${fmt(on.cold.p90)} | ${fmt(off.cold.p50)} / ${fmt(off.cold.p90)} | ${x(on.cold.p50, off.cold.p50)} |`,
      `| Cold start, Node.js, stem cell ready (p50 / p90) | ${fmt(on.stem.p50)} / ${fmt(on.stem.p90)} | ${fmt(off.stem.p50)} / ${fmt(off.stem.p90)} | ${x(on.stem.p50, off.stem.p50)} |`,
      `| Warm, one request at a time (p50 / p99) | ${fmt(on.sequential.p50)} / ${fmt(on.sequential.p99)} | ${fmt(off.sequential.p50)} / ${fmt(off.sequential.p99)} | ${x(on.sequential.p50, off.sequential.p50)} |`,
      ...(on.load && off.load
        ? [`| Warm throughput, ${CONNECTIONS} connections (req/s; p99) | ${on.load.rps.toFixed(0)}; ${fmt(on.load.p99)} | ${off.load.rps.toFixed(0)}; ${fmt(off.load.p99)} | ${x(on.load.rps, off.load.rps)} |`]
        : []),
    ];
    const markdown = [
      '## cgroups: a cgroup per instance, on and off',
      '',
      `Latest run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}.`,
      `Reproduce: \`npm run build && node --import tsx bench/cgroups.ts\` (as root). Cold samples: ${SAMPLES}; throughput: wrk, ${CONNECTIONS} connections, ${SECONDS} s after a 3 s warm-up.`,
      `With cgroups: ${on.isolation}.`,
      '',
      '| What | cgroups on | cgroups off | On / off (p50; throughput) |',
      '| --- | --- | --- | --- |',
      ...rows,
      '',
      'The machine was shared with other work while this ran: compare the two columns of one run, not runs with each other.',
      '',
      'On cgroup v1 instances are not put in the cpu controller: in a first run they were (weights by memory, a cap of max(1, memory/1769 MB) CPUs), and warm throughput at 32 connections fell to 6 req/s against 595 without cgroups; with the cpu controller alone left out, 427 against 510 (4 s wrk runs by hand).',
    ].join('\n');
    writeSection(join(ROOT, 'bench/RESULTS.md'), 'cgroups', markdown);
    console.log(markdown);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
