import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from '../../src/runtime/toolchain/cache.js';

/**
 * Where scripts/test-tools.sh puts the Debian tools it provides without root (scripts/user-packages.sh): one
 * wrapper per program, which runs the unpacked package with its libraries and Python modules. Under Flint's
 * cache folder, so the bwrap sandbox (which shows that folder read-only) sees them too.
 */
export function providedToolsBin(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheRoot(env), 'test-tools', 'bin');
}

/** The program the tests should run: the provided wrapper where test-tools provided it, else the machine's own. */
export function toolPath(name: string, system: string): string {
  const provided = join(providedToolsBin(), name);
  return existsSync(provided) ? provided : system;
}
