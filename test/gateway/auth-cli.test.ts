import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RootKey } from '../../src/gateway/index.js';
import { flintUp, runFlint } from '../helpers/cli.js';

describe('flint up --auth', () => {
  it('prints the root key once with the AWS CLI profile lines, and the CLI signs with it from the data folder', async () => {
    const flint = await flintUp(undefined, ['--auth']);
    try {
      const output = flint.output();
      expect(output).toContain('authentication: server mode');
      const id = /aws configure set aws_access_key_id (AKIA[A-Z2-7]{16}) --profile flint/.exec(output)?.[1];
      expect(id).toBeDefined();
      expect(output).toMatch(/aws configure set aws_secret_access_key \S+ --profile flint/);
      // The next start finds the key and does not make (or show) it again.
      expect(RootKey.open(flint.dataDir)).toMatchObject({ accessKeyId: id, created: false });

      const signed = await runFlint(['ls', '--endpoint', flint.url], { env: { FLINT_DATA: flint.dataDir } });
      expect(signed.code).toBe(0);
      const unsigned = await runFlint(['ls', '--endpoint', flint.url], { env: { FLINT_DATA: mkdtempSync(join(tmpdir(), 'flint-nokey-')) } });
      expect(unsigned.code).not.toBe(0);
      expect(unsigned.stderr + unsigned.stdout).toContain('server mode');
    } finally {
      await flint.stop();
    }
  });
});
