import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_CLI } from '../../helpers/clients.js';
import { clientEnv } from '../../helpers/node.js';
import { deployFunction, invoke, startLogsNode, type LogsNode } from './harness.js';

/** Collects a child's stdout and resolves when it holds a text (or rejects when the child ends first). */
class Output {
  text = '';
  private waiters: Array<{ needle: string; resolve: () => void }> = [];

  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      this.text += chunk;
      this.waiters = this.waiters.filter((w) => (this.text.includes(w.needle) ? (w.resolve(), false) : true));
    });
  }

  waitFor(needle: string): Promise<void> {
    if (this.text.includes(needle)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ needle, resolve });
      this.child.once('exit', (code) => reject(new Error(`aws exited (${code}) before printing ${needle}:\n${this.text}`)));
    });
  }
}

/**
 * `aws logs tail --follow` (Debian's CLI 2.9: it polls FilterLogEvents every five seconds from the newest timestamp
 * it has seen) shows a function's log lines as the function writes them.
 */
describe('aws logs tail --follow', () => {
  let node: LogsNode;
  let tail: ChildProcessWithoutNullStreams | undefined;

  beforeAll(async () => {
    node = await startLogsNode();
    await deployFunction(node, 'tailed');
    await invoke(node, 'tailed', { name: 'before-tail' });
  });
  afterAll(async () => {
    tail?.kill('SIGKILL');
    await node?.close();
  });

  it("prints the lines already written, then each new invocation's lines", async () => {
    const args = ['logs', 'tail', '/aws/lambda/tailed', '--follow', '--format', 'short', '--endpoint-url', node.test.node.url];
    tail = spawn(AWS_CLI, args, { env: { ...clientEnv(node.test.node), PYTHONUNBUFFERED: '1' } });
    tail.stderr.setEncoding('utf8');
    const output = new Output(tail);
    await output.waitFor('hello before-tail');
    await invoke(node, 'tailed', { name: 'while-tailing' });
    await output.waitFor('hello while-tailing');
    const lines = output.text.split('\n').filter((line) => line !== '');
    // Short format: `<time> <message>`; each line once, though the CLI asks again from the newest timestamp.
    expect(lines.filter((line) => line.includes('hello before-tail'))).toHaveLength(1);
    expect(lines.filter((line) => line.includes('hello while-tailing'))).toHaveLength(1);
    expect(lines.every((line) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2} /.test(line))).toBe(true);
    expect(lines.some((line) => / START RequestId: \S+ Version: \$LATEST$/.test(line))).toBe(true);
  }, 60_000);
});
