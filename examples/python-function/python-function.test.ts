import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flintUp, runFlint, type RunningFlint } from '../../test/helpers/cli.js';

describe('example: python-function', () => {
  let flint: RunningFlint;
  beforeAll(async () => {
    flint = await flintUp(import.meta.dirname, ['--no-watch']);
  });
  afterAll(async () => {
    await flint?.stop();
  });

  it('runs a Python handler behind an HTTP route', async () => {
    const res = await fetch(`${flint.url}/count`, { method: 'POST', body: 'the cat and the hat and the bat' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ words: 8, top: [['the', 3], ['and', 2], ['cat', 1]], function: 'wordcount' });
  });

  it('answers a direct invoke and logs through Python logging', async () => {
    const invoked = await runFlint(['invoke', 'wordcount', '--endpoint', flint.url, '--data', '{"text":"a b a"}', '--log']);
    expect(invoked.code).toBe(0);
    expect(JSON.parse(invoked.stdout)).toEqual({ words: 3, top: [['a', 2], ['b', 1]], function: 'wordcount' });
    expect(invoked.stderr).toMatch(/\[INFO\]\t\d{4}-\d\d-\d\dT[\d:.]+Z\t[0-9a-f-]{36}\tcounted 3 words/);
    expect(flint.output()).toMatch(/python3\.12 runs on this machine's Python 3\.\d+/);
  });

  it('reports a function error with exit code 1', async () => {
    const invoked = await runFlint(['invoke', 'wordcount', '--endpoint', flint.url, '--data', '[1]']);
    expect(invoked.code).toBe(1);
    expect(invoked.stderr).toContain('wordcount failed (Unhandled)');
    expect(invoked.stderr).toMatch(/"errorType":\s*"AttributeError"/);
  });
});
