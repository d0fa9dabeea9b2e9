import { readFileSync } from 'node:fs';

const PAGE_KB = 4;

/**
 * Resident memory of a process and all its descendants, in KB, read from /proc. Instances may fork (a shell
 * bootstrap running python, a handler spawning a tool): Lambda counts the whole execution environment, so
 * do we. Returns undefined where /proc is unavailable or the process is gone.
 */
export function treeRssKb(pid: number): number | undefined {
  const own = rssKb(pid);
  if (own === undefined) return undefined;
  let total = own;
  for (const child of childrenOf(pid)) total += treeRssKb(child) ?? 0;
  return total;
}

function rssKb(pid: number): number | undefined {
  try {
    const statm = readFileSync(`/proc/${pid}/statm`, 'utf8');
    return Number(statm.split(' ')[1]) * PAGE_KB;
  } catch {
    return undefined;
  }
}

function childrenOf(pid: number): number[] {
  try {
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return text ? text.split(' ').map(Number) : [];
  } catch {
    return [];
  }
}
