/**
 * Rejects import cycles and imports that go up the layers of DESIGN.md, and imports that reach behind another
 * subsystem's index.ts. Run by `npm test`; exits 1 with one line per violation.
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** Lower numbers are lower layers; a file may import only from its own subsystem or lower layers. */
export const LAYERS: Record<string, number> = {
  core: 0,
  manifest: 1,
  storage: 1,
  protocol: 1,
  observe: 2,
  functions: 2,
  templates: 2,
  runtime: 3,
  invoker: 4,
  events: 5,
  services: 6,
  dashboard: 7,
  gateway: 8,
  platform: 9,
  cli: 10,
};

const SRC = resolve(process.argv[2] ?? 'src');

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'bootstraps' ? [] : listFiles(path);
    return /\.(ts|mts)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** `services/lambda/x.ts` → `services/lambda`; `runtime/x.ts` → `runtime`. */
function subsystemOf(file: string): string {
  const parts = relative(SRC, file).split(sep);
  if (parts[0] === 'services' && parts.length > 2) return `services/${parts[1]}`;
  return parts[0] ?? '';
}

function layerOf(subsystem: string): number | undefined {
  return LAYERS[subsystem.split('/')[0] ?? ''];
}

function specifiers(source: string): string[] {
  const found: string[] = [];
  const pattern = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;
  for (const match of source.matchAll(pattern)) found.push(match[1] ?? match[2] ?? match[3] ?? '');
  return found.filter((s) => s.startsWith('.'));
}

function resolveImport(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  const candidates = [base.replace(/\.js$/, '.ts'), base.replace(/\.mjs$/, '.mts'), base, join(base, 'index.ts')];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

function main(): number {
  const files = listFiles(SRC);
  const graph = new Map<string, string[]>();
  const problems: string[] = [];

  for (const file of files) {
    const from = subsystemOf(file);
    const edges: string[] = [];
    for (const spec of specifiers(readFileSync(file, 'utf8'))) {
      const target = resolveImport(file, spec);
      const where = relative(process.cwd(), file);
      if (!target) {
        problems.push(`${where}: cannot resolve '${spec}'`);
        continue;
      }
      if (!target.startsWith(SRC)) continue;
      edges.push(target);
      const to = subsystemOf(target);
      if (to === from) continue;
      const fromLayer = layerOf(from);
      const toLayer = layerOf(to);
      if (fromLayer === undefined || toLayer === undefined) {
        problems.push(`${where}: '${from}' or '${to}' is not a known subsystem (add it to LAYERS)`);
      } else if (toLayer >= fromLayer && !(from.startsWith('services/') && to.startsWith('services/'))) {
        problems.push(`${where}: ${from} (layer ${fromLayer}) must not import ${to} (layer ${toLayer})`);
      }
      if (!target.endsWith(`${sep}index.ts`) || subsystemOf(target) !== relative(SRC, dirname(target)).split(sep).join('/')) {
        problems.push(`${where}: import ${to} through its index.ts, not '${spec}'`);
      }
    }
    graph.set(file, edges);
  }
  problems.push(...findCycles(graph));
  for (const p of problems) console.error(p);
  if (problems.length === 0) console.log(`layers: ${files.length} files, no cycles, no upward imports`);
  return problems.length ? 1 : 0;
}

function findCycles(graph: Map<string, string[]>): string[] {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const cycles: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'visiting') {
        const cycle = stack.slice(stack.indexOf(next)).concat(next).map((f) => relative(SRC, f));
        cycles.push(`import cycle: ${cycle.join(' → ')}`);
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

process.exit(main());
