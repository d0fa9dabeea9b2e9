import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { stats, type Stats } from './stats.js';

/**
 * Floors run with the same minimal environment Flint gives its instances. The inherited environment can
 * cost a lot: on the reference machine NODE_EXTRA_CA_CERTS alone makes every Node.js start load the
 * system's CA certificates (about 60 ms instead of 23 ms), so that variant is reported separately.
 */
export const CLEAN_ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' };

/** Spawn-to-exit time of a command, `samples` times after two warm-up runs. */
export function processTime(command: string, args: string[], samples: number, env: NodeJS.ProcessEnv = CLEAN_ENV): Stats {
  const times: number[] = [];
  for (let i = 0; i < samples + 2; i++) {
    const started = performance.now();
    spawnSync(command, args, { env });
    if (i >= 2) times.push(performance.now() - started);
  }
  return stats(times);
}

/** Waits until a child prints a line matching `pattern`; returns everything it printed so far. */
export function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs = 60_000): Promise<string> {
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}:\n${output}`)), timeoutMs);
    const onData = (d: Buffer): void => {
      output += d.toString();
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolve(output);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', () => reject(new Error(`exited before printing ${pattern}:\n${output}`)));
  });
}

export async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGINT'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  await new Promise((resolve) => child.once('exit', resolve));
}

/** Resident memory of one process, in MB. */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}

/** Every descendant process of `pid`. */
export function descendants(pid: number): number[] {
  const out: number[] = [];
  const walk = (p: number): void => {
    let children: number[];
    try {
      const text = readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim();
      children = text ? text.split(' ').map(Number) : [];
    } catch {
      return;
    }
    for (const child of children) {
      out.push(child);
      walk(child);
    }
  };
  walk(pid);
  return out;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function spawnQuiet(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): ChildProcess {
  return spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', ...options.env }, cwd: options.cwd });
}
