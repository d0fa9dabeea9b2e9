import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

export const FIXTURES = resolve(import.meta.dirname, '../fixtures/functions');

export type Tree = Record<string, string | { content: string; mode: number }>;

/** Writes files (paths relative to `root`) and returns root. */
export async function writeTree(root: string, tree: Tree): Promise<string> {
  for (const [path, value] of Object.entries(tree)) {
    const file = join(root, path);
    await mkdir(dirname(file), { recursive: true });
    const content = typeof value === 'string' ? value : value.content;
    await writeFile(file, content);
    if (typeof value !== 'string') await chmod(file, value.mode);
  }
  return root;
}

/** A temp folder per test file; `cleanup` removes all of them. */
export function tempDirs(): { make(prefix?: string): Promise<string>; cleanup(): Promise<void> } {
  const made: string[] = [];
  return {
    async make(prefix = 'flint-functions-') {
      const dir = await mkdtemp(join(tmpdir(), prefix));
      made.push(dir);
      return dir;
    },
    async cleanup() {
      await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}

const execFileAsync = promisify(execFile);

/**
 * Loads `modulePath` (relative to `dir`) in a fresh Node process, as the runtime would, calls its `handler` with
 * `event` and returns what it resolved to, or the error's stack when it threw.
 */
export async function runHandler(dir: string, modulePath: string, event: unknown): Promise<{ result?: unknown; stack?: string }> {
  const script = `
    const { pathToFileURL } = require('node:url');
    import(pathToFileURL(${JSON.stringify(join(dir, modulePath))}).href)
      .then((mod) => (mod.handler ?? mod.default.handler)(${JSON.stringify(event)}))
      .then((result) => process.stdout.write(JSON.stringify({ result })))
      .catch((error) => process.stdout.write(JSON.stringify({ stack: String(error && error.stack) })));
  `;
  const { stdout } = await execFileAsync(process.execPath, ['--enable-source-maps', '-e', script], { cwd: dir });
  return JSON.parse(stdout) as { result?: unknown; stack?: string };
}
