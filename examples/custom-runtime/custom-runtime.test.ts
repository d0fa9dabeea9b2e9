import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flintUp, runFlint, type RunningFlint } from '../../test/helpers/cli.js';

describe('example: custom-runtime (a shell bootstrap on the Runtime API)', () => {
  let flint: RunningFlint;
  beforeAll(async () => {
    flint = await flintUp(import.meta.dirname, ['--no-watch']);
  });
  afterAll(async () => {
    await flint?.stop();
  });

  it('serves an HTTP route from a shell script', async () => {
    const res = await fetch(`${flint.url}/reverse/stressed`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ reversed: 'desserts' });
  });

  it('passes errors posted to the Runtime API back to the caller', async () => {
    const invoked = await runFlint(['invoke', 'reverse', '--endpoint', flint.url, '--data', '{}']);
    expect(invoked.code).toBe(1);
    expect(invoked.stderr).toContain('{"errorMessage":"no text to reverse","errorType":"Reverse.NoText"}');
    const logs = await runFlint(['logs', 'reverse', '--endpoint', flint.url]);
    expect(logs.stdout).toContain("reversed 'stressed'");
    expect(logs.stdout).toContain('custom runtime ready (handler reverse.handler)');
  });
});
