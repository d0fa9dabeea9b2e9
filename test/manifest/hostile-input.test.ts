import { describe, expect, it } from 'vitest';
import { loadManifest } from '../../src/manifest/index.js';
import { makeApp } from './helpers.js';

/** A regression the app-file fuzzer (test/fuzz/manifest.test.ts) found: an alias bomb crashed the loader. */
describe('flint.yaml refuses hostile input in words', () => {
  it('refuses an alias bomb with MANIFEST_INVALID instead of a ReferenceError', async () => {
    const levels = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i <= 9; i++) levels.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
    const app = makeApp({ 'flint.yaml': `app: bomb\n${levels.join('\n')}\n` });
    try {
      await expect(loadManifest(app.dir)).rejects.toMatchObject({ code: 'MANIFEST_INVALID', message: expect.stringContaining('its YAML aliases expand too far') });
    } finally {
      app.cleanup();
    }
  });
});
