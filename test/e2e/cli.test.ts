import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { flintUp, ROOT, runFlint } from '../helpers/cli.js';

describe('flint CLI', () => {
  const dirs: string[] = [];
  const tempApp = (files: Record<string, string>): string => {
    const dir = mkdtempSync(join(tmpdir(), 'flint-cli-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('prints help for itself and every command', async () => {
    const top = await runFlint(['--help']);
    expect(top.code).toBe(0);
    for (const [command, flag] of [['up', '--help'], ['deploy', '--help'], ['invoke', '-h'], ['logs', '--help'], ['ls', '--help'], ['rm', '-h'], ['replay', '--help']] as const) {
      expect(top.stdout).toMatch(new RegExp(`\\n  ${command}\\s+\\S`));
      const help = await runFlint([command, flag]);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: flint ${command}`);
    }
  });

  it('exits 2 on usage mistakes and says what was wrong', async () => {
    const unknown = await runFlint(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    const badOption = await runFlint(['invoke', 'f', '--colour']);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toMatch(/Unknown option '--colour'/);
    const badJson = await runFlint(['invoke', 'f', '--data', '{nope']);
    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toContain('the event is not valid JSON');
  });

  it('exits 3 with a hint when no node is running', async () => {
    const result = await runFlint(['ls', '--endpoint', 'http://127.0.0.1:1']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('no Flint node answers at http://127.0.0.1:1: start one with `flint up`');
  });

  it('names the file, line and field of a manifest mistake', async () => {
    const dir = tempApp({ 'flint.yaml': 'functions:\n  f:\n    runtime: nodejs20.x\n    handler: index.handler\n    memory: 64\n', 'index.js': 'exports.handler = async () => 1;\n' });
    const result = await runFlint(['up', dir, '--port', '0', '--data', join(dir, '.flint'), '--no-watch']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/flint\.yaml:5:5: functions\.f\.memory: expected an integer from 128 to 10240, got 64/);
  });

  it('deploys to a running node, invokes asynchronously and removes functions and apps', async () => {
    const flint = await flintUp(undefined);
    try {
      expect(flint.output()).toContain('stop: Ctrl-C');
      const dir = tempApp({
        'flint.yaml': 'app: cli-test\nfunctions:\n  echo:\n    runtime: nodejs20.x\n    handler: index.handler\n  other:\n    runtime: nodejs22.x\n    handler: index.handler\n',
        'index.js': "exports.handler = async (event) => { console.log('got', JSON.stringify(event)); return event; };\n",
        'package.json': '{"type":"commonjs"}',
      });
      const deployed = await runFlint(['deploy', dir, '--endpoint', flint.url]);
      expect(deployed.code).toBe(0);
      expect(deployed.stderr).toContain('packaging echo (nodejs20.x, bundling with esbuild)');
      expect(deployed.stderr).toContain('✓ echo deployed');
      // nodejs22.x runs on Node.js 22, fetched into the shared cache by the deploy: nothing to warn about.
      expect(deployed.stderr).not.toContain("runs on this machine's Node.js");
      const again = await runFlint(['deploy', dir, '--endpoint', flint.url]);
      expect(again.stderr).toContain('echo unchanged');

      const accepted = await runFlint(['invoke', 'echo', '--async', '--data', '{"n":42}', '--endpoint', flint.url]);
      expect(accepted.code).toBe(0);
      expect(accepted.stderr).toContain('event accepted');
      await expect.poll(async () => (await runFlint(['logs', 'echo', '--endpoint', flint.url])).stdout, { timeout: 10_000 }).toContain('got {"n":42}');

      const removedFn = await runFlint(['rm', 'other', '--endpoint', flint.url]);
      expect(removedFn.code).toBe(0);
      const gone = await runFlint(['invoke', 'other', '--endpoint', flint.url]);
      expect(gone.code).toBe(1);
      expect(gone.stderr).toContain('ResourceNotFoundException');
      const removedApp = await runFlint(['rm', 'cli-test', '--endpoint', flint.url]);
      expect(removedApp.stderr).toContain('removed app cli-test');
      const empty = await runFlint(['ls', '--endpoint', flint.url]);
      expect(empty.stderr).toContain('no functions deployed');
    } finally {
      await flint.stop();
    }
  });

  it('follows logs as invocations happen', async () => {
    const dir = tempApp({
      'flint.yaml': 'app: follow\nfunctions:\n  talker:\n    runtime: nodejs20.x\n    handler: index.handler\n',
      'index.js': "exports.handler = async (event) => { console.log('said', event.word); return 'ok'; };\n",
      'package.json': '{"type":"commonjs"}',
    });
    const flint = await flintUp(dir, ['--no-watch']);
    const follower = spawn(process.execPath, [join(ROOT, 'bin/flint.js'), 'logs', 'talker', '--follow', '--endpoint', flint.url], { env: { ...process.env, NO_COLOR: '1' } });
    let followed = '';
    follower.stdout.on('data', (d: Buffer) => (followed += d.toString()));
    // Whatever the follower says on stderr (or its early exit) shows in a failure's diff.
    follower.stderr.on('data', (d: Buffer) => (followed += d.toString()));
    follower.on('exit', (code, signal) => (followed += `\n[follower exited: ${code ?? signal}]`));
    try {
      await runFlint(['invoke', 'talker', '--data', '{"word":"first"}', '--endpoint', flint.url]);
      await expect.poll(() => followed, { timeout: 10_000 }).toContain('said first');
      await runFlint(['invoke', 'talker', '--data', '{"word":"second"}', '--endpoint', flint.url]);
      await expect.poll(() => followed, { timeout: 10_000 }).toContain('said second');
      expect(followed.match(/said first/g)).toHaveLength(1);
      expect(followed).toMatch(/REPORT RequestId: [0-9a-f-]{36}\tDuration/);
    } finally {
      follower.kill('SIGINT');
      await flint.stop();
    }
  });
});
