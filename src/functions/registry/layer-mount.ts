import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, link, lstat, mkdir, readdir, readlink, rename, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Lambda extracts a function's layers into /opt in the order the function lists them, each over the ones before
 * (https://docs.aws.amazon.com/lambda/latest/dg/packaging-layers.html). Flint builds that folder once per list of
 * layer digests, `<dataDir>/code/layers/<digest of the list>/`, with hard links to the extracted layers (no copy of
 * the bytes), and sandboxes bind it at /opt. The folder is built beside its final name and renamed into place, so
 * a crash never leaves a half-merged one.
 */
export async function mergeLayers(dataDir: string, digests: readonly string[], dirs: readonly string[]): Promise<string> {
  const id = createHash('sha256').update(digests.join('\n')).digest('hex');
  const target = join(dataDir, 'code', 'layers', id);
  if (existsSync(target)) return target;
  const building = `${target}.${randomUUID()}.tmp`;
  await mkdir(building, { recursive: true });
  try {
    for (const dir of dirs) await overlay(dir, building);
    await rename(building, target);
  } catch (error) {
    await rm(building, { recursive: true, force: true });
    // Another caller finished the same folder first: theirs is as good as ours.
    if (existsSync(target)) return target;
    throw error;
  }
  return target;
}

/** Links every file of `from` into `to`, replacing what an earlier layer put at the same path. */
async function overlay(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const [source, target] = [join(from, entry.name), join(to, entry.name)];
    if (entry.isDirectory()) {
      // A folder where an earlier layer had a file (or a link): the later layer wins.
      if ((await lstat(target).catch(() => undefined))?.isDirectory() === false) await rm(target, { force: true });
      await overlay(source, target);
      continue;
    }
    await rm(target, { recursive: true, force: true });
    if (entry.isSymbolicLink()) await symlink(await readlink(source), target);
    else await linkOrCopy(source, target);
  }
}

async function linkOrCopy(source: string, target: string): Promise<void> {
  try {
    await link(source, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await copyFile(source, target);
  }
}

