import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { HostPaths } from './host-paths.js';
import { STDIO } from './kill.js';
import { InstanceLimits, killInstance } from './limits.js';
import { linkTree } from './link-tree.js';
import { bashOverSh, shIsAlreadyBash } from './sh-is-bash.js';
import { LAMBDA_PATHS, type Sandbox, type SandboxedProcess, type SandboxSpec } from './sandbox.js';

const MB = 1024 * 1024;

/**
 * bubblewrap: each instance gets private mount, PID and IPC namespaces, its code read-only at /var/task,
 * Flint's runtime at /var/runtime, bash as /bin/sh (as on Amazon Linux), and a tmpfs /tmp limited to its ephemeral storage size that disappears
 * with it. The rest of the host filesystem is still visible (a narrower root is the sandbox issue's work),
 * and because / is bound whole, bwrap creates the empty mount points /var/task and /var/runtime on the host.
 */
export class BwrapSandbox implements Sandbox {
  readonly kind = 'bwrap' as const;
  readonly isolation: string;
  readonly attachLinksFiles = true;
  readonly shIsBash: boolean;

  private readonly bootstrapsInRoot: string;
  /** Mount arguments that make /bin/sh bash inside, as on Amazon Linux (see sh-is-bash.ts). */
  private readonly shMount: readonly string[];
  private readonly sharedMounts: readonly string[];
  private readonly hiddenMounts: readonly string[];
  private readonly limits: InstanceLimits;

  constructor(
    private readonly host: HostPaths,
    private readonly bwrap: string,
    private readonly workDir: string,
    options: {
      /** Host folders every instance sees read-only at the same path, bound over the private /tmp (missing ones are skipped). */
      shared?: readonly string[];
      limits?: InstanceLimits;
      /** Host folders that appear empty inside (Flint's data folder: other functions' code, the database). */
      hidden?: readonly string[];
    } = {},
  ) {
    const { shared = [], hidden = [] } = options;
    this.limits = options.limits ?? new InstanceLimits(undefined);
    // Under /tmp a folder is hidden already by the private /tmp.
    this.hiddenMounts = hidden.filter((dir) => !isUnder(dir, '/tmp')).flatMap((dir) => ['--tmpfs', dir]);
    this.bootstrapsInRoot = host.bootstraps.slice(host.root.length);
    this.shMount = bashOverSh();
    this.sharedMounts = shared.flatMap((dir) => ['--ro-bind-try', dir, dir]);
    this.shIsBash = this.shMount.length > 0 || shIsAlreadyBash();
    this.isolation = `bwrap: private mount, PID and IPC namespaces; code read-only at /var/task; private size-limited /tmp${this.shIsBash ? '; /bin/sh is bash' : ''}${hidden.length ? "; Flint's data folder hidden" : ''}; ${this.limits.note}`;
  }

  spawn(spec: SandboxSpec): SandboxedProcess {
    // Flint's package root appears at /var/runtime, so its node_modules is where Lambda keeps the SDK.
    const root = LAMBDA_PATHS.runtimeDir;
    const paths = { taskRoot: LAMBDA_PATHS.taskRoot, runtimeDir: root + this.bootstrapsInRoot, nodeModules: `${root}/node_modules`, tmpDir: '/tmp', ...(spec.optDir ? { opt: '/opt' } : {}) };
    // A stem cell's /var/task is an empty folder of its own, bound read-only; attaching code fills it with
    // hard links, which appear inside at once (a bind mount shows its folder's later entries).
    const cellDir = spec.codeDir ? undefined : join(this.workDir, spec.instanceId, 'task');
    if (cellDir) mkdirSync(cellDir, { recursive: true });
    const command = spec.command(paths);
    const args = [
      '--dev-bind', '/', '/',
      '--proc', '/proc',
      ...this.hiddenMounts,
      '--size', String(spec.ephemeralMb * MB), '--tmpfs', '/tmp',
      ...this.sharedMounts,
      '--ro-bind', this.host.root, root,
      '--ro-bind', spec.codeDir ?? cellDir!, paths.taskRoot,
      ...(spec.optDir ? ['--ro-bind', spec.optDir, '/opt'] : []),
      ...this.shMount,
      '--chdir', paths.taskRoot,
      '--unshare-pid', '--unshare-ipc',
      '--die-with-parent',
      '--', command.file, ...command.args,
    ];
    const launch = this.limits.contain(spec.instanceId, spec.memoryMb, this.bwrap, args);
    const child = spawn(launch.file, launch.args, { env: command.env, stdio: STDIO, detached: true });
    // A program that cannot be started emits 'error' (then no 'exit'); its exitCode says so to the driver.
    child.on('error', () => {});
    const destroy = async (): Promise<void> => {
      await killInstance(child, launch.cgroup);
      // Off the event loop: a specialised cell's tree holds a link per file of its code.
      if (cellDir) await rm(join(this.workDir, spec.instanceId), { recursive: true, force: true });
    };
    const attachCode = async (codeDir: string): Promise<string> => {
      if (!cellDir) throw new Error('attachCode is for stem cells, spawned without code');
      await linkTree(codeDir, cellDir);
      return paths.taskRoot;
    };
    return { child, paths, destroy, attachCode, ...(launch.cgroup ? { cgroup: launch.cgroup } : {}) };
  }
}

function isUnder(dir: string, parent: string): boolean {
  return dir === parent || dir.startsWith(parent + '/');
}
