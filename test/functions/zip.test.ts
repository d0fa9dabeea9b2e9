import { existsSync } from 'node:fs';
import { lstat, readFile, readlink, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { isFlintError } from '../../src/core/index.js';
import { createZip, extractPackage, readZip, validateUploadedZip } from '../../src/functions/index.js';
import { tempDirs } from './helpers.js';

const dirs = tempDirs();
afterAll(() => dirs.cleanup());

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const S_IFLNK = 0o120000;

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

async function rejected(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );
}

describe('deterministic zips', () => {
  it('sorts entries and stores Unix modes and a fixed 1980 timestamp', () => {
    const zip = createZip([
      { path: 'b.txt', data: text('b'), mode: 0o644 },
      { path: '10', data: text('ten'), mode: 0o600 },
      { path: 'a/run.sh', data: text('#!/bin/sh'), mode: 0o755 },
    ]);
    const entries = readZip(zip);

    expect(entries.map((e) => [e.name, e.mode])).toEqual([
      ['10', 0o600],
      ['a/run.sh', 0o755],
      ['b.txt', 0o644],
    ]);
    // DOS date of 1980-01-01 00:00 in the first local header: time 0, date (0 << 9) | (1 << 5) | 1.
    const view = new DataView(zip.buffer, zip.byteOffset);
    expect([view.getUint16(10, true), view.getUint16(12, true)]).toEqual([0, 0x21]);
  });

  it('gives identical bytes for the same files in any order', () => {
    const files = [
      { path: 'x', data: text('1'), mode: 0o644 },
      { path: 'y', data: text('2'), mode: 0o644 },
    ];
    expect(Buffer.from(createZip(files)).equals(Buffer.from(createZip([...files].reverse())))).toBe(true);
  });
});

describe('reading zips from other tools', () => {
  it('reads archives without Unix attributes with default modes', async () => {
    const zip = zipSync({ 'dir/file.txt': text('hello'), 'empty.txt': new Uint8Array(0), 'stored.bin': [text('raw'), { level: 0 }] });
    const dir = join(await dirs.make(), 'out');
    await extractPackage(zip, dir);

    expect(await readFile(join(dir, 'dir/file.txt'), 'utf8')).toBe('hello');
    expect(await readFile(join(dir, 'stored.bin'), 'utf8')).toBe('raw');
    expect((await stat(join(dir, 'empty.txt'))).size).toBe(0);
    expect((await stat(join(dir, 'dir/file.txt'))).mode & 0o777).toBe(0o644);
  });

  it('restores symlinks that stay inside the package', async () => {
    const zip = zipSync({
      'lib/real.js': text('module.exports = 1;'),
      'node_modules/.bin/tool': [text('../../lib/real.js'), { os: 3, attrs: (S_IFLNK | 0o777) << 16 }],
    });
    const dir = join(await dirs.make(), 'out');
    await extractPackage(zip, dir);

    expect((await lstat(join(dir, 'node_modules/.bin/tool'))).isSymbolicLink()).toBe(true);
    expect(await readlink(join(dir, 'node_modules/.bin/tool'))).toBe('../../lib/real.js');
  });
});

describe('rejecting unsafe or broken zips', () => {
  it.each([['../evil.txt'], ['a/../../evil.txt'], ['/etc/evil.txt'], ['..\\evil.txt']])('rejects the zip-slip path %s', async (name) => {
    const root = await dirs.make();
    const dir = join(root, 'pkg', 'out');
    const error = await rejected(extractPackage(zipSync({ 'ok.txt': text('ok'), [name]: text('evil') }), dir));

    expect(isFlintError(error, 'CODE_INVALID')).toBe(true);
    expect(existsSync(dir)).toBe(false);
    expect(await readdir(root, { recursive: true })).not.toContainEqual(expect.stringContaining('evil'));
  });

  it('rejects symlinks pointing outside, and entries beneath a symlink', async () => {
    const link = (target: string): [Uint8Array, { os: number; attrs: number }] => [text(target), { os: 3, attrs: (S_IFLNK | 0o777) << 16 }];
    const outside = zipSync({ 'escape': link('../../etc/passwd') });
    const beneath = zipSync({ 'd/l': link('..'), 'd/l/m': link('..') });
    const dir = join(await dirs.make(), 'out');

    expect(isFlintError(await rejected(extractPackage(outside, dir)), 'CODE_INVALID')).toBe(true);
    expect(isFlintError(await rejected(extractPackage(beneath, dir)), 'CODE_INVALID')).toBe(true);
    expect(existsSync(dir)).toBe(false);
  });

  it("rejects non-zip, truncated and damaged data with Lambda's message", () => {
    const zip = createZip([{ path: 'index.js', data: text('exports.handler = async () => "a fairly long body";'.repeat(20)), mode: 0o644 }]);
    const damaged = Uint8Array.from(zip);
    damaged[40] = (damaged[40] ?? 0) ^ 0xff;

    for (const data of [text('definitely not a zip'), zip.subarray(0, zip.length - 30), damaged, new Uint8Array(0)]) {
      const error = caught(() => validateUploadedZip(data));
      expect(isFlintError(error, 'CODE_INVALID')).toBe(true);
      expect((error as Error).message).toBe('Could not unzip uploaded file. Please check your file, then try to upload again.');
    }
    expect(() => validateUploadedZip(zip)).not.toThrow();
  });

  it('rejects an empty zip', () => {
    const error = caught(() => validateUploadedZip(zipSync({})));
    expect(isFlintError(error, 'CODE_INVALID')).toBe(true);
  });
});

describe('extracting', () => {
  it('keeps a folder that is already in place', async () => {
    const dir = join(await dirs.make(), 'code');
    await extractPackage(createZip([{ path: 'a', data: text('first'), mode: 0o644 }]), dir);
    await extractPackage(createZip([{ path: 'a', data: text('second'), mode: 0o644 }]), dir);

    expect(await readFile(join(dir, 'a'), 'utf8')).toBe('first');
    expect(await readdir(join(dir, '..'))).toEqual(['code']);
  });
});
