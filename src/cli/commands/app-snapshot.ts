/**
 * What the app's files hold, by content digest, so `flint up`'s watcher can tell a real change from an event that
 * left a file as it was (an editor saving the same text, a touch, a file written and put back). Files under
 * node_modules are not read: a change there always counts.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Files larger than this are compared by size and modification time instead of their bytes. */
const MAX_HASHED_BYTES = 4 * 1024 * 1024;
const FOLDER = 'folder';

export class AppSnapshot {
  private readonly digests = new Map<string, string>();

  constructor(
    private readonly dir: string,
    private readonly ignores: (file: string) => boolean,
  ) {
    this.walk(dir);
  }

  /** Of `files` (relative to the app folder), those whose content differs from what was seen; remembers the new content. */
  changed(files: string[]): string[] {
    const out: string[] = [];
    for (const file of new Set(files)) {
      const digest = this.digest(join(this.dir, file));
      // A folder appearing changes no package; the files put in it have their own events.
      if (digest === FOLDER) continue;
      if (digest === undefined && this.forgetFolder(file)) {
        out.push(file);
        continue;
      }
      if (file.split(/[/\\]/).includes('node_modules')) {
        out.push(file);
        continue;
      }
      if (this.digests.get(file) === digest) continue;
      if (digest === undefined) this.digests.delete(file);
      else this.digests.set(file, digest);
      out.push(file);
    }
    return out;
  }

  /** A removed folder: forgets the files that were in it; true when there were any. */
  private forgetFolder(folder: string): boolean {
    const inside = [...this.digests.keys()].filter((file) => file.startsWith(`${folder}/`) || file.startsWith(`${folder}\\`));
    for (const file of inside) this.digests.delete(file);
    return inside.length > 0;
  }

  private walk(folder: string): void {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      const file = relative(this.dir, path);
      if (entry.name === 'node_modules' || this.ignores(file)) continue;
      if (entry.isDirectory()) this.walk(path);
      else if (entry.isFile()) {
        const digest = this.digest(path);
        if (digest !== undefined) this.digests.set(file, digest);
      }
    }
  }

  /** A digest of a file's content, FOLDER for a folder, undefined when it is gone. */
  private digest(path: string): string | undefined {
    try {
      const stat = statSync(path);
      if (stat.isDirectory()) return FOLDER;
      if (stat.size > MAX_HASHED_BYTES) return `size:${stat.size}:${stat.mtimeMs}`;
      return createHash('sha256').update(readFileSync(path)).digest('hex');
    } catch {
      return undefined;
    }
  }
}
