import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';
import type { BuildFailure, Format, Message } from 'esbuild';
import { FlintError } from '../../core/index.js';
import type { CollectedFiles } from './files.js';
import { parseNodeHandler } from './handler.js';
import { sdkImportsOfBundle } from './sdk-imports.js';

export interface BundleInput {
  codeDir: string;
  handler: string;
  external: readonly string[];
}

/** In Lambda's own resolution order for .js/.mjs/.cjs, with the TypeScript and JSX forms first. */
const ENTRY_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx'];

/** Names the banner defines; `define` points free uses of __dirname/__filename at them so user code may still declare its own. */
const ESM_BANNER = [
  "import { createRequire as __flintCreateRequire } from 'node:module';",
  "import { fileURLToPath as __flintFileURLToPath } from 'node:url';",
  "import { dirname as __flintDirname } from 'node:path';",
  'const require = __flintCreateRequire(import.meta.url);',
  'const __flint_filename = __flintFileURLToPath(import.meta.url);',
  'const __flint_dirname = __flintDirname(__flint_filename);',
].join('\n');

const TLA_HINT =
  'Hint: top-level await needs ES module output. Rename the entry to .mjs or .mts, or set "type": "module" in package.json.';

/**
 * Bundles a Node.js handler with esbuild into one file at the handler's own path (src/index.js, or .mjs for ES
 * modules), so the handler string keeps working. A linked source map lets stack traces point at the user's
 * TypeScript. The AWS SDK v3 stays external because the runtime provides it, as Lambda does.
 */
export async function bundleNode(input: BundleInput): Promise<CollectedFiles & { sdkImports: string[] }> {
  const { modulePath } = parseNodeHandler(input.handler);
  const entry = findEntry(input.codeDir, modulePath, input.handler);
  const format = moduleFormat(entry);
  const outfile = join(input.codeDir, modulePath + (format === 'esm' ? '.mjs' : '.js'));
  // Loaded on first use: a node that only serves functions never needs the bundler in memory.
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: input.codeDir,
    entryPoints: [entry],
    outfile,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    target: 'node20',
    format,
    sourcemap: 'linked',
    sourcesContent: false,
    external: ['@aws-sdk/*', ...input.external],
    logLevel: 'silent',
    ...(format === 'esm' ? { banner: { js: ESM_BANNER }, define: { __dirname: '__flint_dirname', __filename: '__flint_filename' } } : {}),
  }).catch(async (error: unknown) => {
    throw await bundleError(error, relative(input.codeDir, entry));
  });
  return {
    files: result.outputFiles.map((file) => ({
      path: relative(input.codeDir, file.path).split(sep).join('/'),
      data: file.contents,
      mode: 0o644,
    })),
    warnings: result.warnings.map(compactMessage),
    sdkImports: sdkImportsOfBundle(result.metafile),
  };
}

function findEntry(codeDir: string, modulePath: string, handler: string): string {
  for (const extension of ENTRY_EXTENSIONS) {
    const candidate = join(codeDir, modulePath + extension);
    if (existsSync(candidate)) return candidate;
  }
  const tried = `${modulePath}.{${ENTRY_EXTENSIONS.map((e) => e.slice(1)).join(',')}}`;
  throw new FlintError('BUNDLE_FAILED', `Cannot find the entry file for handler '${handler}': no ${tried} in ${codeDir}`, {
    handler,
    codeDir,
  });
}

/** As Node decides: .mjs/.mts are ES modules, .cjs/.cts CommonJS, anything else follows the nearest package.json. */
function moduleFormat(entry: string): Format {
  const extension = extname(entry);
  if (extension === '.mjs' || extension === '.mts') return 'esm';
  if (extension === '.cjs' || extension === '.cts') return 'cjs';
  return nearestPackageType(dirname(entry)) === 'module' ? 'esm' : 'cjs';
}

function nearestPackageType(from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const path = join(dir, 'package.json');
    if (existsSync(path)) return readType(path);
    if (dirname(dir) === dir) return undefined;
  }
}

function readType(path: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    const type = typeof parsed === 'object' && parsed !== null ? (parsed as { type?: unknown }).type : undefined;
    return typeof type === 'string' ? type : undefined;
  } catch {
    return undefined;
  }
}

function isBuildFailure(error: unknown): error is BuildFailure {
  return error instanceof Error && Array.isArray((error as Partial<BuildFailure>).errors);
}

async function bundleError(error: unknown, entry: string): Promise<FlintError> {
  if (!isBuildFailure(error)) {
    return new FlintError('BUNDLE_FAILED', `Bundling ${entry} failed: ${String(error)}`, { entry }, { cause: error });
  }
  const { formatMessagesSync } = await import('esbuild');
  const formatted = formatMessagesSync(error.errors, { kind: 'error', color: false }).join('').trimEnd();
  const topLevelAwait = error.errors.some((m) => /top-level await/i.test(m.text) && /"cjs" output format/.test(m.text));
  const message = `Bundling ${entry} failed:\n${formatted}${topLevelAwait ? `\n\n${TLA_HINT}` : ''}`;
  return new FlintError('BUNDLE_FAILED', message, { entry, errors: error.errors.map(compactMessage) }, { cause: error });
}

/** "src/index.ts:3:7: Could not resolve "x"" — one line per message, with esbuild's own line:column. */
function compactMessage(message: Message): string {
  const where = message.location ? `${message.location.file}:${message.location.line}:${message.location.column}: ` : '';
  return where + message.text;
}
