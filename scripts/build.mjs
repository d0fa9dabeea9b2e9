// Bundles the CLI and platform into dist/flint.js so `flint` starts fast and needs no TypeScript loader.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';

// The Python bootstrap runs from a read-only mount inside the sandbox, where Python cannot write its
// bytecode cache: compile it here so each instance start skips that work.
try {
  execFileSync('/usr/bin/python3', ['-m', 'compileall', '-q', 'src/runtime/bootstraps/python'], { stdio: 'inherit' });
} catch {
  console.log('build: no /usr/bin/python3, Python bootstrap not precompiled');
}

const entry = 'src/cli/main.ts';
if (!existsSync(entry)) {
  console.log('build: no CLI yet, nothing to bundle');
  process.exit(0);
}
await build({
  entryPoints: [entry],
  outfile: 'dist/flint.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: 'linked',
  // Native or binary-carrying packages stay in node_modules.
  external: ['better-sqlite3', 'esbuild', 'pg', '@aws-sdk/*'],
  banner: { js: "import { createRequire as __flintRequire } from 'node:module'; const require = __flintRequire(import.meta.url);" },
  logLevel: 'warning',
});
// The AWS service models are data the protocol kit reads at run time, beside the bundle.
cpSync('src/protocol/models', 'dist/models', { recursive: true });
console.log('build: dist/flint.js, dist/models/');
