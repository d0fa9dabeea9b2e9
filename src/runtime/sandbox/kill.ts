import type { ChildProcess, StdioOptions } from 'node:child_process';

/** fd 0 closed, fd 1 and 2 captured as logs, fd 3 the private channel (a socketpair). */
export const STDIO: StdioOptions = ['ignore', 'pipe', 'pipe', 'pipe'];

/** SIGKILLs the child's whole process group and resolves once the child has exited. */
export function killTree(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  });
}
