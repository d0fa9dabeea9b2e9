import type { ChildProcess } from 'node:child_process';
import { joinCommand, type Cgroups, type InstanceCgroup } from '../cgroups/index.js';
import { killTree } from './kill.js';

/**
 * What the kernel enforces per instance where cgroups work, and what the sandbox says about it. Without cgroups an
 * instance's memory is sampled (runtime/memory.ts) and stopped after the fact; nothing bounds its processes or CPU.
 */
export class InstanceLimits {
  readonly note: string;

  constructor(
    private readonly cgroups: Cgroups | undefined,
    /** Why there are no cgroups, when there are none. */
    problem?: string,
  ) {
    this.note = cgroups
      ? cgroups.describe()
      : `no cgroups (memory sampled every 50 ms, no process or CPU limits)${problem ? `: ${problem}` : ''}`;
  }

  /**
   * The instance's cgroup and the command that starts inside it. A cgroup that cannot be created (the subtree was
   * removed under Flint) leaves the instance to the sampled limits rather than failing it.
   */
  contain(instanceId: string, memoryMb: number | undefined, file: string, args: readonly string[]): { cgroup?: InstanceCgroup; file: string; args: string[] } {
    if (!this.cgroups) return { file, args: [...args] };
    let cgroup: InstanceCgroup;
    try {
      cgroup = this.cgroups.create(instanceId, memoryMb);
    } catch {
      return { file, args: [...args] };
    }
    return { cgroup, ...joinCommand(cgroup.procsFiles, file, args) };
  }
}

/** Kills the instance's process group, then whatever of it escaped the group (setsid) through its cgroup. */
export async function killInstance(child: ChildProcess, cgroup: InstanceCgroup | undefined): Promise<void> {
  await killTree(child);
  await cgroup?.destroy();
}
