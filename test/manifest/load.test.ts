import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isFlintError } from '../../src/core/index.js';
import { loadManifest } from '../../src/manifest/index.js';
import { makeApp, yaml } from './helpers.js';

const MINIMAL = yaml('functions:', '  hello:', '    runtime: nodejs20.x', '    handler: index.handler');

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return isFlintError(error) ? error.code : `not a FlintError: ${String(error)}`;
  }
  return undefined;
}

describe('loadManifest', () => {
  let cleanup = (): void => {};
  afterEach(() => cleanup());

  it('reads flint.yml when there is no flint.yaml', async () => {
    const app = makeApp({ 'flint.yml': MINIMAL });
    cleanup = app.cleanup;
    const spec = await loadManifest(app.dir);
    expect(spec.file).toBe(join(app.dir, 'flint.yml'));
    expect(spec.functions.map((f) => f.name)).toEqual(['hello']);
  });

  it('prefers flint.yaml over flint.yml', async () => {
    const app = makeApp({ 'flint.yaml': MINIMAL, 'flint.yml': 'not: valid' });
    cleanup = app.cleanup;
    expect((await loadManifest(app.dir)).file).toBe(join(app.dir, 'flint.yaml'));
  });

  it('fails with MANIFEST_NOT_FOUND when the folder has no manifest or does not exist', async () => {
    const app = makeApp({ 'flint.json': '{}', 'flint.yaml/': '' });
    cleanup = app.cleanup;
    expect(await codeOf(loadManifest(app.dir))).toBe('MANIFEST_NOT_FOUND');
    expect(await codeOf(loadManifest(join(app.dir, 'missing')))).toBe('MANIFEST_NOT_FOUND');
  });

  it('fails with MANIFEST_INVALID naming flint.yml when that file is wrong', async () => {
    const app = makeApp({ 'flint.yml': yaml('functions:', '  hello:', '    runtime: nodejs20.x') });
    cleanup = app.cleanup;
    const error = await loadManifest(app.dir).catch((e: unknown) => e);
    expect(isFlintError(error, 'MANIFEST_INVALID')).toBe(true);
    expect(String((error as Error).message)).toMatch(/flint\.yml:2:3: functions\.hello: missing required field 'handler'$/);
  });
});
