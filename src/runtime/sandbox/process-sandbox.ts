import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { HostPaths } from './host-paths.js';
import { STDIO } from './kill.js';
import { InstanceLimits, killInstance } from './limits.js';
import { shIsAlreadyBash } from './sh-is-bash.js';
import type { Sandbox, SandboxedProcess, SandboxSpec } from './sandbox.js';

/**
 * No namespaces: the instance is a plain child process in its own process group. /tmp is not private, so
 * TMPDIR points at a per-instance folder that goes with the instance; its size is not enforced.
 * `setpriv --pdeathsig` (util-linux) makes the instance die with Flint where it exists.
 */
export class ProcessSandbox implements Sandbox {
  readonly kind = 'process' as const;
  readonly attachLinksFiles = false;
  readonly shIsBash = shIsAlreadyBash();
  readonly isolation: string;

  constructor(
    private readonly host: HostPaths,
    private readonly workDir: string,
    private readonly setpriv: string | undefined,
    private readonly limits = new InstanceLimits(undefined),
  ) {
    this.isolation =
      'process: plain child processes, no namespaces; TMPDIR is private but /tmp is shared and its size is not enforced' +
      (this.shIsBash ? '' : "; /bin/sh is this machine's sh, not bash (a #!/bin/sh bootstrap is run with bash)") +
      `; ${limits.note}`;
  }

  spawn(spec: SandboxSpec): SandboxedProcess {
    const home = join(this.workDir, spec.instanceId);
    const tmpDir = join(home, 'tmp');
    mkdirSync(tmpDir, { recursive: true });
    // A stem cell has no code yet: its task root is decided when code is attached (the code folder itself).
    // Without a mount namespace there is no /opt of the instance's own: layers stay at their host path.
    const paths = { taskRoot: spec.codeDir ?? home, runtimeDir: this.host.bootstraps, nodeModules: this.host.nodeModules, tmpDir, ...(spec.optDir ? { opt: spec.optDir } : {}) };
    const command = spec.command(paths);
    const env = { ...command.env, TMPDIR: tmpDir };
    const [file, args] = this.setpriv
      ? [this.setpriv, ['--pdeathsig', 'KILL', '--', command.file, ...command.args]]
      : [command.file, command.args];
    const launch = this.limits.contain(spec.instanceId, spec.memoryMb, file, args);
    const child = spawn(launch.file, launch.args, { env, cwd: paths.taskRoot, stdio: STDIO, detached: true });
    // A program that cannot be started emits 'error' (then no 'exit'); its exitCode says so to the driver.
    child.on('error', () => {});
    const destroy = async (): Promise<void> => {
      await killInstance(child, launch.cgroup);
      rmSync(home, { recursive: true, force: true });
    };
    const attachCode = async (codeDir: string): Promise<string> => {
      paths.taskRoot = codeDir;
      return codeDir;
    };
    return { child, paths, destroy, attachCode, ...(launch.cgroup ? { cgroup: launch.cgroup } : {}) };
  }
}
