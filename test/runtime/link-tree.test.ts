import { mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { linkTree } from '../../src/runtime/sandbox/link-tree.js';

describe('linkTree', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flint-link-tree-'));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('recreates nested folders, links every file (same inode, no copy) and keeps symlinks as symlinks', async () => {
    const from = join(dir, 'code');
    mkdirSync(join(from, 'node_modules/pkg/lib'), { recursive: true });
    writeFileSync(join(from, 'index.js'), 'exports.handler = 1;');
    writeFileSync(join(from, 'node_modules/pkg/lib/main.js'), 'module.exports = 2;');
    symlinkSync('lib/main.js', join(from, 'node_modules/pkg/entry.js'));
    // More entries than one event-loop turn links, so the walk resumes across turns.
    mkdirSync(join(from, 'many'));
    for (let i = 0; i < 600; i++) writeFileSync(join(from, 'many', `f${i}.txt`), String(i));

    const to = join(dir, 'task');
    await linkTree(from, to);

    expect(statSync(join(to, 'index.js')).ino).toBe(statSync(join(from, 'index.js')).ino);
    expect(readFileSync(join(to, 'node_modules/pkg/lib/main.js'), 'utf8')).toBe('module.exports = 2;');
    expect(readlinkSync(join(to, 'node_modules/pkg/entry.js'))).toBe('lib/main.js');
    expect(readFileSync(join(to, 'node_modules/pkg/entry.js'), 'utf8')).toBe('module.exports = 2;');
    for (const i of [0, 255, 256, 599]) expect(readFileSync(join(to, 'many', `f${i}.txt`), 'utf8')).toBe(String(i));
  });
});
