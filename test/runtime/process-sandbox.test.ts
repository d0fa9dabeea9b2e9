import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { hostPaths } from '../../src/runtime/index.js';
import { ProcessSandbox } from '../../src/runtime/sandbox/process-sandbox.js';

let workDir = '';
afterEach(() => rmSync(workDir, { recursive: true, force: true }));

// Where setpriv is missing the sandbox spawns the runtime itself: a runtime that is not there (no python3,
// a wrong wrapper script) must end that instance, not raise an unhandled 'error' that ends the node.
it('reports a runtime that cannot be started through its exit code, without an unhandled error', async () => {
  workDir = mkdtempSync(join(tmpdir(), 'flint-sandbox-'));
  const sandbox = new ProcessSandbox(hostPaths(), workDir, undefined);
  const proc = sandbox.spawn({ instanceId: 'missing', codeDir: workDir, ephemeralMb: 512, command: () => ({ file: join(workDir, 'no-such-runtime'), args: [], env: {} }) });
  await expect.poll(() => proc.child.exitCode).not.toBeNull();
  expect(proc.child.pid).toBeUndefined();
  await proc.destroy();
});
