import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, vi } from 'vitest';
import { isFlintError } from '../../src/core/index.js';
import { parseManifest, type ManifestProblem } from '../../src/manifest/index.js';

/** A temp app folder; `files` maps relative paths to contents (a path ending in "/" makes a folder). */
export function makeApp(files: Record<string, string> = {}, name = 'photo-service'): { dir: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'flint-manifest-'));
  const dir = join(root, name);
  mkdirSync(dir);
  for (const [path, content] of Object.entries(files)) {
    if (path.endsWith('/')) {
      mkdirSync(join(dir, path), { recursive: true });
      continue;
    }
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return { dir, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Joins lines so a test manifest reads like the file it stands for. */
export function yaml(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

export interface Failure {
  message: string;
  problems: ManifestProblem[];
}

/** Parses `text` as `<dir>/flint.yaml` with the working directory at `cwd`, expecting MANIFEST_INVALID. */
export function failureOf(text: string, dir: string, cwd = dir): Failure {
  const workingDir = vi.spyOn(process, 'cwd').mockReturnValue(cwd);
  try {
    parseManifest(text, join(dir, 'flint.yaml'));
  } catch (error) {
    expect(isFlintError(error, 'MANIFEST_INVALID'), String(error)).toBe(true);
    if (!isFlintError(error)) throw error;
    return { message: error.message, problems: error.details.problems as ManifestProblem[] };
  } finally {
    workingDir.mockRestore();
  }
  throw new Error('expected the manifest to be rejected');
}

/** The message lines of a rejected manifest. */
export function problemLines(text: string, dir: string): string[] {
  return failureOf(text, dir).message.split('\n');
}
