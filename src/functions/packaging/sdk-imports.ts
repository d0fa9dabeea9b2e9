import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import type { ZipFileInput } from '../zip/write.js';
import { packageNameOf } from './externals.js';

const SDK_PREFIX = '@aws-sdk/';
/** `require('@aws-sdk/x')`, `from "@aws-sdk/x/sub"`, `import('@aws-sdk/x')`: the package part of the specifier. */
const SDK_SPECIFIER = /["'`](@aws-sdk\/[a-z0-9][a-z0-9._-]*)(?:\/[^"'`\s]*)?["'`]/g;
const SCRIPT = /\.(c|m)?js$/;

/** The `@aws-sdk/*` packages a bundle left external (esbuild's own record of its imports). */
export function sdkImportsOfBundle(metafile: Metafile | undefined): string[] {
  const names = new Set<string>();
  for (const input of Object.values(metafile?.inputs ?? {})) {
    for (const item of input.imports) {
      if (item.external && item.path.startsWith(SDK_PREFIX)) names.add(packageNameOf(item.path) ?? item.path);
    }
  }
  return [...names].sort();
}

/** The `@aws-sdk/*` packages that the scripts of an unbundled package name (outside its node_modules). */
export function sdkImportsOfScripts(files: readonly ZipFileInput[]): string[] {
  const names = new Set<string>();
  for (const file of files) {
    if (!SCRIPT.test(file.path) || file.path.startsWith('node_modules/') || file.path.includes('/node_modules/')) continue;
    const text = Buffer.from(file.data).toString('utf8');
    if (!text.includes(SDK_PREFIX)) continue;
    for (const match of text.matchAll(SDK_SPECIFIER)) names.add(match[1]!);
  }
  return [...names].sort();
}

/**
 * What the runtime must provide: the imported packages the code package does not carry in its own
 * node_modules (an app that ships its SDK gets its own copy first, as on Lambda).
 */
export function sdkPackagesToProvide(imported: readonly string[], files: readonly ZipFileInput[]): string[] {
  const shipped = new Set(files.filter((f) => /^node_modules\/@aws-sdk\/[^/]+\/package\.json$/.test(f.path)).map((f) => f.path.slice('node_modules/'.length, -'/package.json'.length)));
  return imported.filter((name) => !shipped.has(name));
}

/** Scripts read per folder before giving up: a package with more is not a hand-written function. */
const MAX_SCRIPTS = 2000;

/**
 * The `@aws-sdk/*` packages an extracted code package (an upload through the Lambda API) imports without
 * carrying them in its node_modules.
 */
export async function sdkImportsOfFolder(dir: string): Promise<string[]> {
  const files: ZipFileInput[] = [];
  const pending = [''];
  for (let next = pending.pop(); next !== undefined && files.length < MAX_SCRIPTS; next = pending.pop()) {
    const entries = await readdir(join(dir, next), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const path = next ? `${next}/${entry.name}` : entry.name;
      if (entry.isDirectory() && entry.name !== 'node_modules') pending.push(path);
      else if (entry.isFile() && SCRIPT.test(entry.name)) files.push({ path, data: await readFile(join(dir, path)), mode: 0o644 });
    }
  }
  const imported = sdkImportsOfScripts(files);
  return imported.filter((name) => !existsSync(join(dir, 'node_modules', name, 'package.json')));
}
