import type { ChildProcess } from 'node:child_process';
import type { InstanceCgroup } from '../cgroups/index.js';

/** Where Lambda puts things inside an execution environment; sandboxes that can, use the same paths. */
export const LAMBDA_PATHS = { taskRoot: '/var/task', runtimeDir: '/var/runtime' } as const;

export interface SandboxSpec {
  instanceId: string;
  /**
   * Absolute host path of the extracted code. Absent for a stem cell: a generic process started ahead of
   * time, whose code arrives later through `attachCode`.
   */
  codeDir?: string;
  /** The function's merged layers, to appear at /opt (see SandboxPaths.opt). */
  optDir?: string;
  /** Size limit of the instance's private /tmp. */
  ephemeralMb: number;
  /** The function's memory size: the instance's memory hard limit where cgroups work. Absent for a stem cell (set on specialising). */
  memoryMb?: number;
  /** Builds the command once the sandbox has said where code and runtime files appear inside it. */
  command: (paths: SandboxPaths) => { file: string; args: string[]; env: Record<string, string> };
}

export interface SandboxPaths {
  taskRoot: string;
  /** Flint's runtime folder (bootstraps and the bundled AWS SDK), as seen from inside. */
  runtimeDir: string;
  /** Flint's node_modules, as seen from inside (the AWS SDK that Lambda's Node.js runtime provides). */
  nodeModules: string;
  tmpDir: string;
  /** Where the layers (SandboxSpec.optDir) appear inside: /opt where the sandbox can mount it, else their host path. */
  opt?: string;
}

export interface SandboxedProcess {
  child: ChildProcess;
  paths: SandboxPaths;
  /** The instance's cgroup, where the kernel enforces its limits; absent where cgroups are unavailable. */
  cgroup?: InstanceCgroup;
  /**
   * Makes a stem cell's code appear at its task root (inside a mount namespace, a private /var/task) and
   * returns that task root. Only for processes spawned without `codeDir`.
   */
  attachCode(codeDir: string): Promise<string>;
  /** Kills everything the instance started and removes its scratch space. Idempotent. */
  destroy(): Promise<void>;
}

/**
 * One interface, several isolation strengths. `bwrap` gives each instance its own mount, PID and IPC
 * namespaces with a size-limited private /tmp; `process` runs a plain child process where namespaces are
 * unavailable and says so.
 */
export interface Sandbox {
  readonly kind: 'bwrap' | 'process';
  /** One line for the startup log: what isolation instances get here. */
  readonly isolation: string;
  /** Whether attachCode links the code tree file by file (its cost grows with the number of files). */
  readonly attachLinksFiles: boolean;
  /**
   * Whether /bin/sh is bash inside, as on Amazon Linux. Where it is not, a custom runtime's `#!/bin/sh`
   * bootstrap is started with bash instead (the commands it runs through `sh -c` still get this machine's sh).
   */
  readonly shIsBash: boolean;
  spawn(spec: SandboxSpec): SandboxedProcess;
}
