import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findHierarchy, type Controller, type Hierarchy } from './hierarchy.js';

/**
 * Lambda's quota on processes and threads in one execution environment ("Execution processes/threads: 1,024",
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
 */
export const PIDS_MAX = 1024;
/** Lambda gives a function the equivalent of one vCPU at 1,769 MB and CPU in proportion to memory below and above. */
const MB_PER_VCPU = 1769;
const MB = 1024 * 1024;
const CPU_PERIOD_US = 100_000;
/**
 * The subtree's weight against the rest of the machine. At the default, all instances together weigh as much as one
 * other process, and a busy host starves them (measured: 16 against 510 requests/s at 32 connections, on a host
 * running other work); at the maximum they compete about as the separate processes they were without cgroups.
 */
const MAX_SHARES_V1 = 262_144;
const MAX_WEIGHT_V2 = 10_000;
/**
 * The memory size that gets the default weight (v2 100, v1 1024); weights grow in proportion above it. Lambda's
 * smallest size, not its 1,769 MB per vCPU: weights far below the default starve on a busy host (measured on cgroup
 * v1: 128 MB instances at 74 shares served 70-85 requests/s where the same instances without a cpu cgroup served 430).
 */
const WEIGHT_BASE_MB = 128;

/**
 * CPU time an instance may use per period: its memory's share of vCPUs as Lambda allocates them, but never less
 * than one whole CPU. Lambda's small functions run on a fraction of a CPU; capping them so here would make every
 * cold start of a 128 MB function ten times slower. One CPU is what keeps a spinning or forking instance from taking
 * every core of the machine (measured: an uncapped fork bomb at 1,024 processes stalled a 2-core host for 24 s).
 */
function cpuQuotaUs(mb: number): number {
  return Math.round(Math.max(1, mb / MB_PER_VCPU) * CPU_PERIOD_US);
}

/** The cgroup of one instance: what the kernel enforces and counts for it. */
export interface InstanceCgroup {
  /** The files a process writes its own pid into to join every controller (see joinCommand). */
  readonly procsFiles: readonly string[];
  /** Sets the memory hard limit (no swap) and the CPU weight that goes with that memory size. */
  setMemory(mb: number): void;
  /** How many processes the kernel has killed in this cgroup for exceeding its memory limit. */
  oomKills(): number;
  /** Peak memory charged to the cgroup, in KB, where the kernel reports it. */
  peakKb(): number | undefined;
  /** Kills every process in the cgroup (wherever it forked or setsid'ed to) and removes it. Idempotent. */
  destroy(): Promise<void>;
}

/**
 * Per-instance cgroups below a subtree of Flint's own, created at start() in the cgroup the node runs in and
 * removed at close(): memory.max at the function's memory size with no swap, pids.max at Lambda's 1,024, and (v2) a
 * CPU weight proportional to memory with a cap. cgroup v2 where its tree has the controllers; v1 (the memory and pids
 * hierarchies) where that is what the host mounts.
 */
export class Cgroups {
  private base: { version: 2; dir: string; cpu: boolean } | { version: 1; dirs: Partial<Record<Controller, string>> } | undefined;

  constructor(
    /** The subtree's folder name: unique per node (several nodes may share a process, as tests do). */
    private readonly name: string,
    private readonly hierarchy: Hierarchy | string = findHierarchy(),
  ) {}

  /** Creates the subtree. Returns why instances cannot get cgroups here instead of throwing. */
  start(): string | undefined {
    const h = this.hierarchy;
    if (typeof h === 'string') return h;
    try {
      if (h.version === 2) {
        const cpu = readFileSync(join(h.dir, 'cgroup.controllers'), 'utf8').split(/\s+/).includes('cpu');
        const wanted = ['memory', 'pids', ...(cpu ? ['cpu'] : [])];
        enableControllers(h.dir, wanted);
        const dir = join(h.dir, this.name);
        mkdirSync(dir);
        this.base = { version: 2, dir, cpu };
        enableControllers(dir, wanted);
        if (cpu) writeFileSync(join(dir, 'cpu.weight'), String(MAX_WEIGHT_V2));
      } else {
        const dirs: Partial<Record<Controller, string>> = {};
        this.base = { version: 1, dirs };
        for (const [controller, parent] of Object.entries(h.dirs) as Array<[Controller, string]>) {
          mkdirSync(join(parent, this.name));
          dirs[controller] = join(parent, this.name);
        }
        if (dirs.cpu) writeFileSync(join(dirs.cpu, 'cpu.shares'), String(MAX_SHARES_V1));
      }
      return undefined;
    } catch (error) {
      void this.close();
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return `no permission to create cgroups (${code}): run Flint as root or in a delegated cgroup (systemd Delegate=yes)`;
      if (code === 'EBUSY') return 'the cgroup Flint runs in holds processes, so cgroup v2 cannot enable controllers below it: run Flint in a cgroup of its own (systemd-run --scope -p Delegate=yes)';
      return `cannot create cgroups: ${(error as Error).message}`;
    }
  }

  /** One line for the startup log and `flint doctor`. */
  describe(): string {
    const base = this.base;
    if (!base) return 'no cgroups';
    const cpu = base.version === 2 ? base.cpu : base.dirs.cpu !== undefined;
    return `cgroup v${base.version} per instance: memory hard limit at the memory size (no swap), pids.max ${PIDS_MAX}${cpu ? ', CPU weight proportional to memory, at most max(1, memory/1769 MB) CPUs' : ''}`;
  }

  /** A cgroup for one instance; without `memoryMb` (a stem cell) memory is unlimited until setMemory. */
  create(instanceId: string, memoryMb?: number): InstanceCgroup {
    const base = this.base;
    if (!base) throw new Error('cgroups are not started');
    const group = base.version === 2 ? new V2Group(join(base.dir, instanceId), base.cpu) : new V1Group(instanceId, base.dirs);
    if (memoryMb !== undefined) group.setMemory(memoryMb);
    return group;
  }

  /** Kills what is left in the subtree (instances' groups included) and removes it. */
  async close(): Promise<void> {
    const base = this.base;
    this.base = undefined;
    if (!base) return;
    for (const dir of base.version === 2 ? [base.dir] : Object.values(base.dirs)) await removeDir(dir);
  }
}

function enableControllers(dir: string, controllers: readonly string[]): void {
  const file = join(dir, 'cgroup.subtree_control');
  const enabled = readFileSync(file, 'utf8').split(/\s+/);
  for (const controller of controllers) if (!enabled.includes(controller)) writeFileSync(file, `+${controller}`);
}

/** cgroup v2: every controller in one folder. */
class V2Group implements InstanceCgroup {
  readonly procsFiles: readonly string[];
  private destroyed: Promise<void> | undefined;

  constructor(
    private readonly dir: string,
    private readonly cpu: boolean,
  ) {
    mkdirSync(dir);
    writeFileSync(join(dir, 'pids.max'), String(PIDS_MAX));
    this.procsFiles = [join(dir, 'cgroup.procs')];
  }

  setMemory(mb: number): void {
    writeFileSync(join(this.dir, 'memory.max'), String(mb * MB));
    writeIfPresent(join(this.dir, 'memory.swap.max'), '0');
    if (this.cpu) {
      writeFileSync(join(this.dir, 'cpu.weight'), String(clamp(Math.round((mb * 100) / WEIGHT_BASE_MB), 1, MAX_WEIGHT_V2)));
      writeFileSync(join(this.dir, 'cpu.max'), `${cpuQuotaUs(mb)} ${CPU_PERIOD_US}`);
    }
  }

  oomKills(): number {
    return keyedNumber(join(this.dir, 'memory.events'), 'oom_kill');
  }

  peakKb(): number | undefined {
    return bytesToKb(readNumber(join(this.dir, 'memory.peak')));
  }

  destroy(): Promise<void> {
    this.destroyed ??= (async () => {
      // cgroup.kill (Linux 5.14) kills everything at once, forks in flight included.
      if (!writeIfPresent(join(this.dir, 'cgroup.kill'), '1')) await killAll(this.procsFiles[0]!);
      await removeDir(this.dir);
    })();
    return this.destroyed;
  }
}

/** cgroup v1: one folder per controller hierarchy. */
class V1Group implements InstanceCgroup {
  readonly procsFiles: readonly string[];
  private readonly dirs: Partial<Record<Controller, string>>;
  private destroyed: Promise<void> | undefined;

  constructor(name: string, bases: Partial<Record<Controller, string>>) {
    this.dirs = Object.fromEntries(Object.entries(bases).map(([controller, base]) => [controller, join(base, name)]));
    for (const dir of Object.values(this.dirs)) mkdirSync(dir);
    writeFileSync(join(this.dirs.pids!, 'pids.max'), String(PIDS_MAX));
    this.procsFiles = Object.values(this.dirs).map((dir) => join(dir, 'cgroup.procs'));
  }

  setMemory(mb: number): void {
    const memory = this.dirs.memory!;
    const limit = join(memory, 'memory.limit_in_bytes');
    const withSwap = join(memory, 'memory.memsw.limit_in_bytes');
    const bytes = mb * MB;
    // memsw (memory + swap) may never be below the memory limit: raise it first, lower it last.
    const raising = bytes > (readNumber(limit) ?? 0);
    if (raising) writeIfPresent(withSwap, String(bytes));
    writeFileSync(limit, String(bytes));
    if (!raising) writeIfPresent(withSwap, String(bytes));
    const cpu = this.dirs.cpu;
    if (cpu) {
      writeFileSync(join(cpu, 'cpu.shares'), String(clamp(Math.round((mb * 1024) / WEIGHT_BASE_MB), 2, MAX_SHARES_V1)));
      writeFileSync(join(cpu, 'cpu.cfs_period_us'), String(CPU_PERIOD_US));
      writeFileSync(join(cpu, 'cpu.cfs_quota_us'), String(cpuQuotaUs(mb)));
    }
  }

  oomKills(): number {
    return keyedNumber(join(this.dirs.memory!, 'memory.oom_control'), 'oom_kill');
  }

  peakKb(): number | undefined {
    return bytesToKb(readNumber(join(this.dirs.memory!, 'memory.max_usage_in_bytes')));
  }

  destroy(): Promise<void> {
    this.destroyed ??= (async () => {
      // Every process of the instance is in the pids hierarchy.
      await killAll(join(this.dirs.pids!, 'cgroup.procs'));
      for (const dir of Object.values(this.dirs)) await removeDir(dir);
    })();
    return this.destroyed;
  }
}

/** SIGKILLs the processes listed until none is left: a fork bomb may fork between a read and a kill. */
async function killAll(procsFile: string): Promise<void> {
  for (let round = 0; round < 200; round++) {
    const pids = readPids(procsFile);
    if (pids.length === 0) return;
    for (const pid of pids) {
      if (pid === process.pid) continue;
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    await sleep(round < 5 ? 0 : 5);
  }
}

/** Removes a cgroup folder (and any below it); retries while its last processes are being reaped. */
async function removeDir(dir: string): Promise<void> {
  let children: string[];
  try {
    children = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(dir, e.name));
  } catch {
    return; // gone already
  }
  for (const child of children) {
    await killAll(join(child, 'cgroup.procs'));
    await removeDir(child);
  }
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      rmdirSync(dir);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if (code !== 'EBUSY') throw error;
      await sleep(10);
    }
  }
}

function readPids(file: string): number[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function readNumber(file: string): number | undefined {
  try {
    const value = Number(readFileSync(file, 'utf8').trim());
    return Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A `key value` line of a flat keyed file (memory.events, memory.oom_control). */
function keyedNumber(file: string, key: string): number {
  try {
    const match = new RegExp(`^${key} (\\d+)$`, 'm').exec(readFileSync(file, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function writeIfPresent(file: string, value: string): boolean {
  if (!existsSync(file)) return false;
  writeFileSync(file, value);
  return true;
}

function bytesToKb(bytes: number | undefined): number | undefined {
  return bytes === undefined ? undefined : Math.ceil(bytes / 1024);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
