import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/flint.js');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `flint` command (the bundled CLI) and collects its output. */
export function runFlint(args: string[], options: { input?: string; env?: Record<string, string>; cwd?: string } = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, env: { ...process.env, NO_COLOR: '1', ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

export interface RunningFlint {
  url: string;
  dataDir: string;
  /** Everything `flint up` printed so far. */
  output(): string;
  /** Resolves when the output contains `text` (what a person watching the terminal waits for). */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  stop(): Promise<RunResult>;
}

/** Starts `flint up <dir>` on a free port with a fresh data folder and waits until it is ready. */
export async function flintUp(dir: string | undefined, extra: string[] = []): Promise<RunningFlint> {
  const dataDir = mkdtempSync(join(tmpdir(), 'flint-e2e-'));
  const args = ['up', ...(dir ? [dir] : []), '--port', '0', '--data', dataDir, ...extra];
  const child: ChildProcess = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
  let output = '';
  const waiters = new Set<() => void>();
  const onData = (d: Buffer): void => {
    output += d.toString();
    for (const check of waiters) check();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<RunResult>((resolvePromise) => child.on('close', (code) => resolvePromise({ code, stdout: output, stderr: output })));

  const waitFor = (text: string | RegExp, timeoutMs = 30_000): Promise<void> =>
    new Promise((resolvePromise, reject) => {
      const matches = (): boolean => (typeof text === 'string' ? output.includes(text) : text.test(output));
      if (matches()) return resolvePromise();
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`flint up did not print ${String(text)} within ${timeoutMs} ms; it printed:\n${output}`));
      }, timeoutMs);
      const check = (): void => {
        if (!matches()) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolvePromise();
      };
      waiters.add(check);
      void exited.then(() => {
        if (waiters.has(check)) {
          clearTimeout(timer);
          waiters.delete(check);
          reject(new Error(`flint up exited before printing ${String(text)}:\n${output}`));
        }
      });
    });

  await waitFor('stop: Ctrl-C');
  const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
  if (!url) throw new Error(`no URL in flint up output:\n${output}`);
  return {
    url,
    dataDir,
    output: () => output,
    waitFor,
    stop: async () => {
      child.kill('SIGINT');
      const result = await exited;
      rmSync(dataDir, { recursive: true, force: true });
      return result;
    },
  };
}
