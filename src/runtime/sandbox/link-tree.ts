import { mkdir, readdir, readlink, symlink, link, copyFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Recreates a folder tree at `to` with hard links to the files of `from`: microseconds per file and no
 * copy of the bytes, so a pre-started instance gets its code without a mount (and without privileges).
 * The caller binds `to` read-only into the instance, so the shared files cannot be written through it.
 */
export async function linkTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  const entries = await readdir(from, { withFileTypes: true });
  await Promise.all(
    entries.map(async (entry) => {
      const source = join(from, entry.name);
      const target = join(to, entry.name);
      if (entry.isDirectory()) return linkTree(source, target);
      if (entry.isSymbolicLink()) return symlink(await readlink(source), target);
      try {
        await link(source, target);
      } catch (error) {
        // Another filesystem: fall back to a copy.
        if ((error as NodeJS.ErrnoException).code === 'EXDEV') await copyFile(source, target);
        else throw error;
      }
    }),
  );
}
