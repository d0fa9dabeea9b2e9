import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostPaths } from '../runtime/index.js';

/** Flint's version, from the package.json at the package root (found the same way from src/ and dist/). */
export const FLINT_VERSION: string = readVersion();

function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(hostPaths().root, 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
