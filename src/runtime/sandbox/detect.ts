import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../core/index.js';
import { BwrapSandbox } from './bwrap-sandbox.js';
import { hostPaths } from './host-paths.js';
import { InstanceLimits } from './limits.js';
import { ProcessSandbox } from './process-sandbox.js';
import type { Sandbox } from './sandbox.js';
import { cacheRoot } from '../toolchain/cache.js';

export type SandboxKind = 'auto' | 'bwrap' | 'process';

export interface SandboxOptions {
  shared?: readonly string[];
  limits?: InstanceLimits;
  hidden?: readonly string[];
}

/**
 * Picks the strongest isolation that works on this machine: bwrap if it is installed and can create
 * namespaces here (a trial run proves it), else plain processes, with a warning that says what is missing.
 * `shared` folders (the toolchain cache: Node.js binaries, the AWS SDK) are visible read-only inside, wherever
 * they are (a cache under /tmp would otherwise be hidden by the instance's private /tmp). `limits` puts each
 * instance in a cgroup of its own where the node has them (see cgroups/); `hidden` folders (Flint's data folder)
 * appear empty inside, where the sandbox has a mount namespace.
 */
export function createSandbox(kind: SandboxKind, workDir: string, logger: Logger, options: SandboxOptions = {}): Sandbox {
  const { shared = [cacheRoot()], limits = new InstanceLimits(undefined), hidden = [] } = options;
  const host = hostPaths();
  if (kind !== 'process') {
    const bwrap = findExecutable('bwrap');
    const problem = bwrap ? tryBwrap(bwrap) : 'bwrap (Debian package bubblewrap) is not installed';
    if (bwrap && !problem) return new BwrapSandbox(host, bwrap, workDir, { shared, limits, hidden });
    if (kind === 'bwrap') throw new Error(`the bwrap sandbox is unavailable: ${problem}`);
    logger.warn(`instances run without namespaces (weaker isolation): ${problem}`);
  }
  return new ProcessSandbox(host, workDir, findExecutable('setpriv'), limits);
}

function findExecutable(name: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function tryBwrap(bwrap: string): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'flint-bwrap-'));
  try {
    execFileSync(bwrap, ['--dev-bind', '/', '/', '--proc', '/proc', '--tmpfs', '/tmp', '--ro-bind', dir, '/var/task', '--unshare-pid', '--unshare-ipc', '--die-with-parent', '--', 'true'], { stdio: 'pipe', timeout: 5000 });
    return undefined;
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return `bwrap cannot create namespaces here (${stderr || String(error)})`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
