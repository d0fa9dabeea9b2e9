import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { collectFolder, type CollectedFiles } from './files.js';

interface Wanted {
  name: string;
  /** Folder the lookup starts from, as Node resolves a bare import made from there. */
  from: string;
  /** Missing optional and peer dependencies are normal; missing requested or regular ones are worth a warning. */
  optional: boolean;
  requestedBy?: string;
}

/**
 * Copies the packages marked external, and everything they depend on, from node_modules into the package's
 * node_modules, so the bundle's `require('sharp')` still finds them at run time. Dependencies are found by
 * walking package.json the way Node resolves them; a package nested inside one already copied comes along with it.
 */
export async function collectExternals(codeDir: string, externals: readonly string[]): Promise<CollectedFiles> {
  const result: CollectedFiles = { files: [], warnings: [] };
  const placed = new Map<string, string>();
  const visited = new Set<string>();
  const queue: Wanted[] = externals.flatMap((spec) => {
    const name = packageNameOf(spec);
    return name ? [{ name, from: codeDir, optional: false }] : [];
  });
  for (let wanted = queue.shift(); wanted; wanted = queue.shift()) {
    const dir = findPackageDir(wanted.name, wanted.from);
    if (!dir) {
      if (!wanted.optional) result.warnings.push(missingWarning(wanted));
      continue;
    }
    if (visited.has(dir)) continue;
    visited.add(dir);
    const insideCopied = [...placed.values()].some((root) => dir.startsWith(root + sep));
    if (!insideCopied) {
      const existing = placed.get(wanted.name);
      if (existing !== undefined) {
        result.warnings.push(`Two copies of '${wanted.name}' are needed; only ${existing} is packaged`);
        continue;
      }
      placed.set(wanted.name, dir);
      const copied = await collectFolder(dir, `node_modules/${wanted.name}`);
      result.files.push(...copied.files);
      result.warnings.push(...copied.warnings);
    }
    queue.push(...dependenciesOf(dir, wanted.name));
  }
  return result;
}

/** "sharp" → sharp, "@scope/pkg/sub" → @scope/pkg; wildcards such as "@aws-sdk/*" name no single package. */
export function packageNameOf(spec: string): string | undefined {
  if (spec.includes('*')) return undefined;
  const parts = spec.split('/');
  const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  return name && !name.startsWith('.') ? name : undefined;
}

function findPackageDir(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (basename(dir) !== 'node_modules') {
      const candidate = join(dir, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    }
    if (dirname(dir) === dir) return undefined;
  }
}

interface PackageJson {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

function dependenciesOf(dir: string, requestedBy: string): Wanted[] {
  const pkg = readPackageJson(join(dir, 'package.json'));
  const optional = new Set([...Object.keys(pkg.optionalDependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]);
  const names = new Set([...Object.keys(pkg.dependencies ?? {}), ...optional]);
  return [...names].map((name) => ({ name, from: dir, optional: optional.has(name), requestedBy }));
}

function readPackageJson(path: string): PackageJson {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as PackageJson) : {};
  } catch {
    return {};
  }
}

function missingWarning(wanted: Wanted): string {
  return wanted.requestedBy
    ? `'${wanted.name}' (a dependency of '${wanted.requestedBy}') was not found in node_modules and is not packaged`
    : `External package '${wanted.name}' was not found in node_modules and is not packaged; run npm install first`;
}
