import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The Python Flint runs Python functions with: Debian's, where boto3 comes as a system package. */
export const SYSTEM_PYTHON = '/usr/bin/python3';

export interface HostPython {
  path: string;
  /** "3.11", or 'unknown' when it cannot be run. */
  version: string;
  /** Whether `import boto3` works there, as it does in every Lambda Python runtime. */
  boto3: boolean;
}

/** Asks the host's Python for its version and whether boto3 is importable, without importing it (which takes 200 ms). */
export function hostPython(): HostPython {
  const path = existsSync(SYSTEM_PYTHON) ? SYSTEM_PYTHON : 'python3';
  try {
    const script = 'import sys, importlib.util; print("%d.%d" % sys.version_info[:2], importlib.util.find_spec("boto3") is not None)';
    const [version = 'unknown', boto3] = execFileSync(path, ['-c', script], { encoding: 'utf8', timeout: 10_000 }).trim().split(' ');
    return { path, version, boto3: boto3 === 'True' };
  } catch {
    return { path, version: 'unknown', boto3: false };
  }
}

/** The command that gives this machine's Python boto3: Debian's package where apt-get exists, else pip. */
export function boto3InstallCommand(python: HostPython): string {
  if (existsSync('/usr/bin/apt-get') && python.path === SYSTEM_PYTHON) {
    const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    return `${asRoot ? '' : 'sudo '}apt-get install python3-boto3`;
  }
  return `${python.path} -m pip install --user boto3`;
}

/** The one line that says boto3 is missing and how to get it. */
export function missingBoto3Message(python: HostPython): string {
  return `boto3 is not installed for ${python.path}, so Python functions cannot 'import boto3' as they can on Lambda; install it with: ${boto3InstallCommand(python)}`;
}
