import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Flint's own files on the host: the bootstraps folder and node_modules. Found by walking up from this
 * module to the package root, which works from src/ (tests) and from the bundled dist/ alike.
 */
export interface HostPaths {
  root: string;
  bootstraps: string;
  nodeModules: string;
}

export function hostPaths(): HostPaths {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'src', 'runtime', 'bootstraps'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the Flint package root from ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return { root: dir, bootstraps: join(dir, 'src', 'runtime', 'bootstraps'), nodeModules: join(dir, 'node_modules') };
}
