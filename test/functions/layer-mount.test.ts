import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mergeLayers } from '../../src/functions/registry/layer-mount.js';

/** Lambda extracts layers into /opt in the function's order, each over the ones before it. */
describe('mergeLayers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flint-layer-mount-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const layer = (name: string, files: Record<string, string>): string => {
    const root = join(dir, 'extracted', name);
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return root;
  };

  it('lays later layers over earlier ones, file by file and folder over file, with links to the extracted files', async () => {
    const first = layer('first', { 'nodejs/node_modules/a/index.js': 'a1', 'nodejs/node_modules/b/index.js': 'b1', 'bin/tool': 'a file first' });
    const second = layer('second', { 'nodejs/node_modules/a/index.js': 'a2', 'bin/tool/README': 'a folder second' });
    const merged = await mergeLayers(join(dir, 'data'), ['1'.repeat(64), '2'.repeat(64)], [first, second]);
    expect(readFileSync(join(merged, 'nodejs/node_modules/a/index.js'), 'utf8')).toBe('a2');
    expect(readFileSync(join(merged, 'nodejs/node_modules/b/index.js'), 'utf8')).toBe('b1');
    expect(readFileSync(join(merged, 'bin/tool/README'), 'utf8')).toBe('a folder second');
    expect(statSync(join(merged, 'nodejs/node_modules/b/index.js')).ino).toBe(statSync(join(first, 'nodejs/node_modules/b/index.js')).ino);
  });

  it('builds one folder per list of layers, once, and leaves no half-built folder behind', async () => {
    const only = layer('only', { 'python/m.py': 'x = 1' });
    const digests = ['3'.repeat(64)];
    const [a, b] = await Promise.all([mergeLayers(join(dir, 'data'), digests, [only]), mergeLayers(join(dir, 'data'), digests, [only])]);
    expect(a).toBe(b);
    expect(existsSync(join(a, 'python/m.py'))).toBe(true);
    expect(readdirSync(dirname(a)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
