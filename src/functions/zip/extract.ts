import { chmod, mkdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { FlintError, shortId } from '../../core/index.js';
import { readZip, type ZipEntry } from './read.js';

/**
 * Extracts a zip into `dir`: everything goes into a sibling temp folder first, which is renamed into place
 * only when complete, so a reader never sees half a package. Entries that would land outside `dir` (zip-slip)
 * reject the whole archive. If `dir` appears meanwhile (another process extracted the same package), the
 * existing folder is kept.
 */
export async function extractPackage(zip: Uint8Array, dir: string): Promise<void> {
  const planned = plan(readZip(zip));
  const temp = `${dir}.partial-${shortId()}`;
  await mkdir(dirname(dir), { recursive: true });
  try {
    await mkdir(temp, { mode: 0o755 });
    for (const { entry, path } of planned) {
      if (path) await writeEntry(temp, path, entry);
    }
    await moveIntoPlace(temp, dir);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}

interface PlannedEntry {
  entry: ZipEntry;
  path: string;
}

/**
 * Symlinks are written last and nothing may live beneath one, so no write ever passes through a link (a chain
 * of individually harmless links could otherwise reach outside the folder).
 */
function plan(entries: readonly ZipEntry[]): PlannedEntry[] {
  const planned = entries.map((entry) => ({ entry, path: safeRelativePath(entry.name) }));
  const links = new Set(planned.filter((p) => p.entry.kind === 'symlink').map((p) => p.path));
  for (const { entry, path } of planned) {
    const segments = path.split('/');
    for (let i = 1; i < segments.length; i++) {
      if (links.has(segments.slice(0, i).join('/'))) {
        throw new FlintError('CODE_INVALID', `Zip entry '${entry.name}' lies beneath a symlink`, { entry: entry.name });
      }
    }
  }
  const rank = (p: PlannedEntry): number => (p.entry.kind === 'symlink' ? 1 : 0);
  return planned.sort((a, b) => rank(a) - rank(b));
}

/** The entry's path relative to the target, or '' for the root itself; throws for paths that escape it. */
export function safeRelativePath(name: string): string {
  const unsafe = (): FlintError =>
    new FlintError('CODE_INVALID', `Zip entry '${name}' points outside the package folder`, { entry: name });
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name) || name.includes('\0')) throw unsafe();
  const segments = name.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) throw unsafe();
  return segments.join('/');
}

async function writeEntry(root: string, path: string, entry: ZipEntry): Promise<void> {
  const target = join(root, path);
  if (entry.kind === 'directory') {
    await mkdir(target, { recursive: true, mode: 0o755 });
    return;
  }
  await mkdir(dirname(target), { recursive: true, mode: 0o755 });
  const data = entry.read();
  if (entry.kind === 'symlink') {
    await symlink(checkedLinkTarget(path, Buffer.from(data).toString('utf8')), target);
    return;
  }
  // Owner read is forced so the runtime can always load its own code; set-id bits are dropped on purpose.
  const mode = (entry.mode & 0o777) | 0o400;
  await writeFile(target, data, { mode });
  await chmod(target, mode);
}

/** Symlinks must stay inside the package, as a relative link to a path within it. */
export function checkedLinkTarget(path: string, link: string): string {
  const resolved = posix.normalize(posix.join(posix.dirname(path), link));
  if (link.startsWith('/') || resolved === '..' || resolved.startsWith('../')) {
    throw new FlintError('CODE_INVALID', `Zip entry '${path}' is a symlink pointing outside the package folder`, { entry: path });
  }
  return link;
}

async function moveIntoPlace(temp: string, dir: string): Promise<void> {
  try {
    await rename(temp, dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
    await rm(temp, { recursive: true, force: true });
  }
}
