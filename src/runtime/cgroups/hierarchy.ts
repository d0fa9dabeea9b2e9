import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The controllers Flint limits instances with. memory and pids are required; cpu is used where present. */
export type Controller = 'memory' | 'pids' | 'cpu';

/**
 * Where this process's cgroups are, per controller. cgroup v2 has one tree (every controller lives in the same
 * folder); v1 mounts one tree per controller (or a few together, as `cpu,cpuacct`).
 */
export type Hierarchy =
  | { version: 2; dir: string }
  | { version: 1; dirs: Partial<Record<Controller, string>> };

/**
 * Finds the cgroup folders of the calling process from /proc/self/mounts and /proc/self/cgroup. A host with both
 * (the "hybrid" layout) uses v2 only when its tree carries the memory controller, else v1. Returns a reason
 * instead where neither gives memory and pids limits.
 */
export function findHierarchy(procRoot = '/proc'): Hierarchy | string {
  let mounts: string;
  let membership: string;
  try {
    mounts = readFileSync(join(procRoot, 'self/mounts'), 'utf8');
    membership = readFileSync(join(procRoot, 'self/cgroup'), 'utf8');
  } catch {
    return 'no /proc/self/cgroup (not Linux, or /proc is not mounted)';
  }
  const own = parseMembership(membership);
  const v1: Partial<Record<Controller, string>> = {};
  let v2: string | undefined;
  for (const line of mounts.split('\n')) {
    const [, mountPoint, type, options] = line.split(' ');
    if (!mountPoint || !options) continue;
    const point = unescapeMount(mountPoint);
    if (type === 'cgroup2') {
      const dir = join(point, own.get('') ?? '/');
      if (controllersOf(dir).includes('memory')) v2 = dir;
    } else if (type === 'cgroup') {
      const names = options.split(',');
      // Not cpu on v1: instances in v1 cpu cgroups served 70-85 requests/s where the same instances without served
      // 430 (32 connections, 2 cores, whatever the shares and quota); v1 instances get no CPU weight or cap.
      for (const controller of ['memory', 'pids'] as const) {
        if (!names.includes(controller)) continue;
        const path = own.get(controller);
        if (path !== undefined) v1[controller] = join(point, path);
      }
    }
  }
  if (v2) {
    const missing = (['memory', 'pids'] as const).filter((c) => !controllersOf(v2).includes(c));
    return missing.length ? `cgroup v2 at ${v2} lacks the ${missing.join(' and ')} controller` : { version: 2, dir: v2 };
  }
  if (v1.memory && v1.pids) return { version: 1, dirs: v1 };
  return 'neither a cgroup v2 tree with the memory and pids controllers nor cgroup v1 memory and pids hierarchies are mounted';
}

/** /proc/self/cgroup: `<id>:<controllers>:<path>` per hierarchy; v2's line has no controllers (key ''). */
function parseMembership(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^\d+:([^:]*):(.*)$/.exec(line);
    if (!match) continue;
    out.set(match[1]!, match[2]!);
    for (const name of match[1]!.split(',')) if (name && !out.has(name)) out.set(name, match[2]!);
  }
  return out;
}

function controllersOf(dir: string): string[] {
  const file = join(dir, 'cgroup.controllers');
  if (!existsSync(file)) return [];
  try {
    return readFileSync(file, 'utf8').trim().split(/\s+/);
  } catch {
    return [];
  }
}

/** /proc/mounts writes spaces and a few other characters in paths as octal escapes. */
function unescapeMount(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}
