import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flintUp, runFlint, type RunningFlint } from '../../test/helpers/cli.js';

describe('example: http-api (TypeScript HTTP API through the flint CLI)', () => {
  let appDir: string;
  let flint: RunningFlint;

  beforeAll(async () => {
    // A copy, so the test can edit the code and watch Flint redeploy it.
    appDir = mkdtempSync(join(tmpdir(), 'flint-http-api-'));
    cpSync(import.meta.dirname, appDir, { recursive: true, filter: (src) => !src.includes('.flint') && !src.endsWith('.test.ts') });
    flint = await flintUp(appDir);
  });
  afterAll(async () => {
    await flint?.stop();
    rmSync(appDir, { recursive: true, force: true });
  });

  it('says what it deployed and where to go', () => {
    const output = flint.output();
    expect(output).toMatch(/✓ hello deployed/);
    expect(output).toMatch(/✓ users deployed/);
    expect(output).toContain(`API default at ${flint.url}`);
    expect(output).toMatch(/GET \/users\/\{id\}\s+→ users/);
    expect(output).toContain(`try: curl ${flint.url}/hello`);
  });

  it('serves the routes through API Gateway payload 2.0', async () => {
    const hello = await fetch(`${flint.url}/hello/ada`);
    expect(hello.status).toBe(200);
    expect(hello.headers.get('content-type')).toBe('application/json');
    expect(hello.headers.get('apigw-requestid')).toBeTruthy();
    expect(await hello.json()).toMatchObject({ message: 'Hello, ada!' });
    const query = await (await fetch(`${flint.url}/hello?name=grace`)).json();
    expect(query).toMatchObject({ message: 'Hello, grace!' });

    const created = await fetch(`${flint.url}/users`, { method: 'POST', body: JSON.stringify({ name: 'Ada' }) });
    expect(created.status).toBe(201);
    const user = (await created.json()) as { id: string; name: string };
    const fetched = await fetch(`${flint.url}/users/${user.id}`);
    expect(fetched.status).toBe(200);
    expect(await fetched.json()).toEqual(user);
    const invalid = await fetch(`${flint.url}/users`, { method: 'POST', body: '{}' });
    expect(invalid.status).toBe(400);
    const missing = await fetch(`${flint.url}/nowhere`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ message: 'Not Found' });
  });

  it('answers CORS preflights as configured', async () => {
    const preflight = await fetch(`${flint.url}/hello`, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'GET' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('invokes, lists and shows logs through the CLI', async () => {
    const invoked = await runFlint(['invoke', 'hello', '--endpoint', flint.url, '--data', '{"pathParameters":{"name":"cli"}}']);
    expect(invoked.code).toBe(0);
    expect(JSON.parse(JSON.parse(invoked.stdout).body)).toMatchObject({ message: 'Hello, cli!' });

    const listed = await runFlint(['ls', '--endpoint', flint.url]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/hello\s+nodejs20\.x\s+http-api\s+128 MB\s+5 s/);
    expect(listed.stdout).toMatch(/POST \/users\s+users/);

    const logs = await runFlint(['logs', 'hello', '--endpoint', flint.url, '--since', '10m']);
    expect(logs.code).toBe(0);
    expect(logs.stdout).toMatch(/START RequestId: [0-9a-f-]{36} Version: \$LATEST/);
    expect(logs.stdout).toMatch(/\tINFO\tgreeting cli/);
    expect(logs.stdout).toMatch(/REPORT RequestId: .*Billed Duration: \d+ ms\tMemory Size: 128 MB/);
  });

  it('redeploys a changed function in place when its code changes', async () => {
    const file = join(appDir, 'src/hello.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace("?? 'Hello'", "?? 'Hello'}!!${''"));
    writeFileSync(join(appDir, 'flint.yaml'), readFileSync(join(appDir, 'flint.yaml'), 'utf8').replace('GREETING: Hello', 'GREETING: Howdy'));
    await flint.waitFor(/change detected[\s\S]*✓ hello deployed/);
    await expect.poll(async () => ((await (await fetch(`${flint.url}/hello/ada`)).json()) as { message: string }).message).toBe('Howdy!!, ada!');
    expect(flint.output()).not.toMatch(/change detected[\s\S]*✓ users deployed/);
  });
});
