import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ZipFileInput } from '../zip/write.js';

export interface CollectedFiles {
  files: ZipFileInput[];
  warnings: string[];
}

const SKIPPED_DIRS = new Set(['.git', '.flint', '__pycache__']);

/** What never belongs in a code package: VCS data, Flint's own state, Python bytecode, build caches. */
function skipped(name: string, parentName: string, isDirectory: boolean): boolean {
  if (isDirectory) return SKIPPED_DIRS.has(name) || (name === '.cache' && parentName === 'node_modules');
  return name.endsWith('.pyc');
}

/**
 * Reads every file under `root` as zip input, with paths under `prefix`. Symlinks are followed, except a link
 * back to an enclosing folder. Modes come from the files, so executables stay executable.
 */
export async function collectFolder(root: string, prefix = ''): Promise<CollectedFiles> {
  const result: CollectedFiles = { files: [], warnings: [] };
  const seen = new Set<string>([await realpath(root)]);
  await walk(root, prefix, seen, result);
  return result;
}

async function walk(dir: string, prefix: string, seen: Set<string>, result: CollectedFiles): Promise<void> {
  const names = (await readdir(dir)).sort();
  for (const name of names) {
    const path = join(dir, name);
    const relative = prefix ? `${prefix}/${name}` : name;
    const info = await stat(path).catch(() => undefined);
    if (!info) {
      result.warnings.push(`Skipped ${relative}: broken symlink`);
      continue;
    }
    if (skipped(name, basename(dir), info.isDirectory())) continue;
    if (info.isDirectory()) {
      const real = await realpath(path);
      if (seen.has(real)) continue;
      seen.add(real);
      await walk(path, relative, seen, result);
      seen.delete(real);
    } else if (info.isFile()) {
      result.files.push({ path: relative, data: await readFile(path), mode: info.mode & 0o7777 });
    }
  }
}
