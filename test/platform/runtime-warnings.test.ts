/**
 * What a deploy says about the runtime a function gets here: Python functions run on this machine's Python and
 * find boto3 as on Lambda, or the deploy says how to provide it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseManifest } from '../../src/manifest/index.js';
import { createToolchain, runtimeWarnings } from '../../src/platform/toolchain.js';
import { boto3InstallCommand, hostPython, missingBoto3Message } from '../../src/runtime/index.js';

const dir = mkdtempSync(join(tmpdir(), 'flint-runtime-warnings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const spec = parseManifest(
  ['app: py', 'functions:', '  a:', '    runtime: python3.14', '    handler: app.handler', '  b:', '    runtime: python3.11', '    handler: app.handler'].join('\n'),
  join(dir, 'flint.yaml'),
);

describe('Python at deploy', () => {
  it('says where boto3 is missing, once for every Python function, with the command that provides it', async () => {
    const python = { path: '/usr/bin/python3', version: '3.11', boto3: false };
    const warnings = await runtimeWarnings(createToolchain(dir), python, spec, []);
    expect(warnings).toContain(`a, b: ${missingBoto3Message(python)}`);
    expect(missingBoto3Message(python)).toMatch(/^boto3 is not installed for \/usr\/bin\/python3, so Python functions cannot 'import boto3' as they can on Lambda; install it with: /);
    // Debian packages boto3 for its Python as python3-boto3.
    expect(boto3InstallCommand(python)).toMatch(/^(sudo )?apt-get install python3-boto3$|pip install --user boto3$/);
  });

  it('says once per function when the Python version differs from the one its runtime names, and nothing when boto3 is there', async () => {
    const python = { path: '/usr/bin/python3', version: '3.11', boto3: true };
    const warnings = await runtimeWarnings(createToolchain(dir), python, spec, []);
    expect(warnings).toEqual(["a: python3.14 runs on this machine's Python 3.11 (/usr/bin/python3)"]);
  });

  it("finds this machine's Python and whether boto3 is importable there", () => {
    const python = hostPython();
    expect(python.version).toMatch(/^3\.\d+$/);
    // test-tools.sh installs Debian's python3-boto3 for the tests.
    expect(python.boto3).toBe(true);
  });
});
