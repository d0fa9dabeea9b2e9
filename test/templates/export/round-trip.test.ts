/**
 * `flint export sam` round-trips the example apps (issue 13, "Done when"): each app, read from its own template or
 * flint.yaml, exported as a SAM template and read back through Flint's SAM translator, has the same functions, the
 * same routes, triggers and destinations, and the same tables, buckets, queues and topics.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppSpec } from '../../../src/manifest/index.js';
import { appSpecToSam, loadApp, samTemplateYaml } from '../../../src/templates/index.js';

const EXAMPLES = resolve(import.meta.dirname, '../../../examples');
const work = mkdtempSync(join(tmpdir(), 'flint-roundtrip-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** What must survive the trip; API names and logical ids may change, the rest may not. */
function essence(spec: AppSpec): unknown {
  const sorted = <T>(items: T[]): T[] => [...items].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return {
    functions: sorted(spec.functions.map((f) => ({ name: f.name, runtime: f.runtime, memorySize: f.memorySize, timeout: f.timeout, environment: f.environment, async: f.async ?? null, layers: f.layers ?? [] }))),
    layers: sorted((spec.layers ?? []).map((l) => ({ name: l.name, runtimes: l.runtimes }))),
    routes: sorted(spec.apis.flatMap((api) => api.routes.map((r) => `${api.payloadVersion} ${r.routeKey} → ${r.functionName}`))),
    schedules: sorted(spec.schedules.map((s) => `${s.functionName} ${s.expression}`)),
    eventSources: sorted((spec.eventSources ?? []).map((s) => `${s.type} → ${s.functionName}`)),
    tables: sorted(spec.resources.tables.map((t) => ({ name: t.name, hashKey: t.hashKey, rangeKey: t.rangeKey ?? null }))),
    buckets: sorted(spec.resources.buckets.map((b) => b.name)),
    queues: sorted(spec.resources.queues.map((q) => ({ name: q.name, fifo: q.fifo, deadLetter: q.deadLetter ?? null }))),
    topics: sorted(spec.resources.topics.map((t) => t.name)),
  };
}

describe('flint export sam round-trips the example apps', () => {
  it.each(['sam-orders', 'sam-toolbox', 'sls-notes', 'layers', 'custom-runtime', 'user-fanout', 'http-api', 'image-pipeline'])('%s', async (example) => {
    const dir = join(work, example);
    cpSync(join(EXAMPLES, example), dir, { recursive: true, filter: (path) => !path.includes('node_modules') && !path.includes('.flint') });
    const original = (await loadApp(dir)).spec;
    const file = join(dir, 'exported.yaml');
    writeFileSync(file, samTemplateYaml(appSpecToSam(original), original.file));
    const back = (await loadApp(dir, { template: file })).spec;
    // The app's own name is the stack name `sam deploy` asks for (Flint takes the folder's); everything else stays.
    expect(essence(back)).toEqual(essence(original));
  });
});
