/**
 * `flint up`'s watcher (issue 13's mends): run as a user runs it with its output redirected into the app folder
 * (`flint up . > flint.log`), it redeploys for a change to the app and for nothing else — not its own log, not other
 * logs, .flint/, node_modules/.cache, editor swap files, what .gitignore names, nor a file saved unchanged. And
 * `--no-watch` does not promise a redeploy it will not do.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runFlint } from '../helpers/cli.js';

const MANIFEST = (memory: number) => `app: watched\nfunctions:\n  echo:\n    runtime: nodejs20.x\n    handler: index.handler\n    memory: ${memory}\n`;
const HANDLER = (text: string) => `exports.handler = async () => ${JSON.stringify(text)};\n`;

describe('flint up watching an app folder', () => {
  let root: string;
  let app: string;
  let log: string;
  let exited: Promise<number | null>;
  let stop: () => void;
  const output = (): string => readFileSync(log, 'utf8');
  const changeLines = (): string[] => output().split('\n').filter((line) => line.includes('change detected'));
  const deployedCount = (): number => output().split('\n').filter((line) => /echo deployed/.test(line)).length;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'flint-watch-'));
    app = join(root, 'watched');
    mkdirSync(app);
    writeFileSync(join(app, 'flint.yaml'), MANIFEST(128));
    writeFileSync(join(app, 'index.js'), HANDLER('one'));
    writeFileSync(join(app, 'package.json'), '{"type":"commonjs"}');
    writeFileSync(join(app, '.gitignore'), '# build output\ntmp/\n*.out\n!keep.out\n');
    // flint up . > flint.log 2>&1: the CLI's own output lands in the folder it watches.
    log = join(app, 'flint.log');
    const fd = openSync(log, 'w');
    const child = spawn(process.execPath, [join(ROOT, 'bin/flint.js'), 'up', '.', '--port', '0', '--data', join(root, 'data'), '--stem-cells', '0'], {
      cwd: app,
      stdio: ['ignore', fd, fd],
      env: { ...process.env, NO_COLOR: '1' },
    });
    closeSync(fd);
    exited = new Promise((resolve) => child.on('close', resolve));
    stop = () => child.kill('SIGINT');
    await until(() => output().includes('stop: Ctrl-C'), 60_000, output);
    expect(deployedCount()).toBe(1);
  }, 90_000);

  afterAll(async () => {
    stop?.();
    await exited;
    rmSync(root, { recursive: true, force: true });
  });

  it('redeploys for a manifest change, ignoring logs, state, caches, swap files, .gitignore entries and unchanged saves', async () => {
    // None of these is a change to the app.
    writeFileSync(join(app, 'server.log'), 'a log line\n');
    mkdirSync(join(app, '.flint'));
    writeFileSync(join(app, '.flint', 'state'), 'x');
    mkdirSync(join(app, 'node_modules', '.cache', 'esbuild'), { recursive: true });
    writeFileSync(join(app, 'node_modules', '.cache', 'esbuild', 'entry'), 'x');
    writeFileSync(join(app, '.index.js.swp'), 'vim swap');
    writeFileSync(join(app, '4913'), '');
    writeFileSync(join(app, 'index.js~'), 'emacs backup');
    writeFileSync(join(app, '.#index.js'), 'emacs lock');
    mkdirSync(join(app, 'tmp'));
    writeFileSync(join(app, 'tmp', 'report.txt'), 'ignored by .gitignore');
    writeFileSync(join(app, 'result.out'), 'ignored by .gitignore');
    writeFileSync(join(app, 'index.js'), HANDLER('one')); // saved unchanged
    // This one is.
    writeFileSync(join(app, 'flint.yaml'), MANIFEST(256));
    await expect.poll(deployedCount, { timeout: 30_000, interval: 100 }).toBe(2);
    expect(changeLines()).toEqual(['• change detected in flint.yaml, redeploying']);
  });

  it("redeploys once for a handler change, and not again for the log of that redeploy", async () => {
    writeFileSync(join(app, 'index.js'), HANDLER('two'));
    await expect.poll(deployedCount, { timeout: 30_000, interval: 100 }).toBe(3);
    // A negated .gitignore entry is part of the app again: this change comes after the redeploy's own log lines,
    // so a redeploy they caused would show up before it.
    writeFileSync(join(app, 'keep.out'), 'kept');
    await expect.poll(() => changeLines().length, { timeout: 30_000, interval: 100 }).toBe(3);
    expect(changeLines()).toEqual([
      '• change detected in flint.yaml, redeploying',
      '• change detected in index.js, redeploying',
      '• change detected in keep.out, redeploying',
    ]);
  });
});

/** Polls (expect.poll works only inside a test) until `ready` holds; fails with what the CLI printed. */
async function until(ready: () => boolean, timeoutMs: number, printed: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`flint up did not get ready; it printed:\n${printed()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('flint up --no-watch', () => {
  it('reports a refused deploy without promising a redeploy on save', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flint-nowatch-'));
    try {
      writeFileSync(join(dir, 'flint.yaml'), 'app: refused\nfunctions:\n  f:\n    runtime: nodejs20.x\n    handler: index.handler\n    memory: 64\n');
      writeFileSync(join(dir, 'index.js'), HANDLER('x'));
      const result = await runFlint(['up', dir, '--port', '0', '--data', join(dir, '.flint'), '--no-watch']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('functions.f.memory: expected an integer from 128 to 10240, got 64');
      expect(result.stderr).not.toContain('Flint redeploys');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
