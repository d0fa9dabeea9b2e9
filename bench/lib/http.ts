import { execFileSync, spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
}

export function hasWrk(): boolean {
  return spawnSync('sh', ['-c', 'command -v wrk']).status === 0;
}

/** wrk with one thread (the other core is the server's) and `connections` connections; optionally a Lua script. */
export function wrk(url: string, seconds: number, connections: number, script?: string): LoadResult {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', ...(script ? ['-s', script] : []), url];
  const output = execFileSync('wrk', args, { encoding: 'utf8' });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1]);
  const latency = (label: string): number => {
    const match = new RegExp(`\\s${label}%\\s+([\\d.]+)(us|ms|s)`).exec(output);
    if (!match) return NaN;
    const value = Number(match[1]);
    return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
  };
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1];
  if (errors) throw new Error(`wrk saw ${errors} error responses from ${url}`);
  return { rps, p50: latency('50'), p99: latency('99') };
}

export async function timedGet(url: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(url);
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return performance.now() - started;
}
