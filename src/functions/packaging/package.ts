import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FlintError, RUNTIME_IDS, runtimeInfo, type RuntimeFamily } from '../../core/index.js';
import { didYouMean, type FunctionSpec } from '../../manifest/index.js';
import { validateUploadedZip } from '../zip/validate.js';
import { createZip, type ZipFileInput } from '../zip/write.js';
import { bundleNode } from './bundle.js';
import { collectExternals } from './externals.js';
import { collectFolder, type CollectedFiles } from './files.js';
import { parseNodeHandler, pythonModuleFile } from './handler.js';
import { sdkImportsOfScripts, sdkPackagesToProvide } from './sdk-imports.js';

/** What packaging needs of a function: these fields of the manifest's FunctionSpec (codeDir is absolute). */
export type PackageInput = Pick<FunctionSpec, 'name' | 'runtime' | 'handler' | 'codeDir' | 'bundle' | 'external'> & {
  /** Packages the function's layers provide (under /opt/nodejs): left out of the bundle, and not copied either. */
  layerPackages?: readonly string[];
};

export interface CodePackage {
  zip: Uint8Array;
  /** Lowercase hex SHA-256 of `zip`. */
  sha256: string;
  size: number;
  warnings: string[];
  /**
   * `@aws-sdk/*` packages the code imports without carrying them, which Lambda's Node.js runtime provides and
   * the node must therefore have (Flint's own node_modules, or the shared cache the deploy fills).
   */
  sdkPackages: string[];
}

/**
 * Turns a function's code folder into a deterministic zip: bundled with esbuild for Node.js when `bundle` is
 * set, the folder as it is otherwise. The same folder always gives the same bytes and hash.
 */
export async function packageFunction(spec: PackageInput): Promise<CodePackage> {
  const family = familyOf(spec.runtime);
  if (spec.codeDir.endsWith('.zip') && existsSync(spec.codeDir) && statSync(spec.codeDir).isFile()) return readyPackage(spec);
  checkCodeDir(spec.codeDir);
  const collected: CollectedFiles & { sdkImports?: string[] } = family === 'nodejs' && spec.bundle ? await bundleWithExternals(spec) : await collectFolder(spec.codeDir);
  if (collected.files.length === 0) {
    throw new FlintError('CODE_INVALID', `The code folder of ${spec.name} is empty: ${spec.codeDir}`, { codeDir: spec.codeDir });
  }
  const warnings = [...collected.warnings, ...layoutWarnings(family, spec, collected.files)];
  const zip = createZip(collected.files);
  const imported = family === 'nodejs' ? (collected.sdkImports ?? sdkImportsOfScripts(collected.files)) : [];
  return { zip, sha256: sha256Hex(zip), size: zip.length, warnings, sdkPackages: sdkPackagesToProvide(imported, collected.files) };
}

/** A .zip named as the code: shipped byte for byte, checked like an upload through the Lambda API. */
async function readyPackage(spec: PackageInput): Promise<CodePackage> {
  const zip = new Uint8Array(await readFile(spec.codeDir));
  validateUploadedZip(zip);
  return { zip, sha256: sha256Hex(zip), size: zip.length, warnings: [], sdkPackages: [] };
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function familyOf(runtime: string): RuntimeFamily {
  const info = runtimeInfo(runtime);
  if (!info) {
    throw new FlintError('RUNTIME_UNSUPPORTED', `Runtime '${runtime}' is not supported${didYouMean(runtime, RUNTIME_IDS)}; use one of ${RUNTIME_IDS.join(', ')}`, {
      runtime,
    });
  }
  return info.family;
}

function checkCodeDir(codeDir: string): void {
  if (!existsSync(codeDir) || !statSync(codeDir).isDirectory()) {
    throw new FlintError('CODE_INVALID', `The code folder ${codeDir} does not exist or is not a folder`, { codeDir });
  }
}

async function bundleWithExternals(spec: PackageInput): Promise<CollectedFiles & { sdkImports: string[] }> {
  const bundled = await bundleNode({ ...spec, external: [...spec.external, ...(spec.layerPackages ?? [])] });
  const externals = await collectExternals(spec.codeDir, spec.external);
  return { files: [...bundled.files, ...externals.files], warnings: [...bundled.warnings, ...externals.warnings], sdkImports: bundled.sdkImports };
}

/** What Lambda would fail on at the first invocation, said at deploy time instead. */
function layoutWarnings(family: RuntimeFamily, spec: PackageInput, files: readonly ZipFileInput[]): string[] {
  const byPath = new Map(files.map((f) => [f.path, f]));
  if (family === 'provided') {
    const bootstrap = byPath.get('bootstrap');
    if (!bootstrap) return [`${spec.name}: no 'bootstrap' file at the root of ${spec.codeDir}; a ${spec.runtime} function needs one`];
    if ((bootstrap.mode & 0o111) === 0) return [`${spec.name}: 'bootstrap' is not executable; run chmod +x ${join(spec.codeDir, 'bootstrap')}`];
    return [];
  }
  if (family === 'python') {
    const module = pythonModuleFile(spec.handler);
    return module && !byPath.has(module) ? [`${spec.name}: handler '${spec.handler}' expects ${module}, which is not in the package`] : [];
  }
  if (spec.bundle) return [];
  return nodeHandlerWarnings(spec, byPath);
}

function nodeHandlerWarnings(spec: PackageInput, byPath: ReadonlyMap<string, ZipFileInput>): string[] {
  let modulePath: string;
  try {
    modulePath = parseNodeHandler(spec.handler).modulePath;
  } catch (error) {
    return [`${spec.name}: ${(error as Error).message}`];
  }
  const found = ['.js', '.mjs', '.cjs'].some((extension) => byPath.has(modulePath + extension));
  return found ? [] : [`${spec.name}: handler '${spec.handler}' expects ${modulePath}.js, .mjs or .cjs, which is not in the package`];
}
