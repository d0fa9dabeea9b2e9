import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isVersionId, newVersionId } from '../../src/storage/version-ids.js';

describe('object version ids', () => {
  it('never contain a dash, so the AWS CLI does not read one as an option', () => {
    // A CI run failed on `--version-id -MU_F…`: the CLI took the id for a flag. S3's own ids use letters,
    // digits, '.' and '_'.
    for (let i = 0; i < 2000; i++) {
      const id = newVersionId();
      expect(id).toMatch(/^[A-Za-z0-9._]{32}$/);
      expect(isVersionId(id)).toBe(true);
    }
  });

  it('still accepts ids written with base64url dashes before that change', () => {
    let random = '';
    while (!random.includes('-')) random = randomBytes(18).toString('base64url');
    const check = createHash('sha256').update(random).digest('base64url').slice(0, 8);
    expect(isVersionId(random + check)).toBe(true);
  });

  it('tells a mistyped id from a well-formed one', () => {
    const id = newVersionId();
    const mistyped = (id[0] === 'A' ? 'B' : 'A') + id.slice(1);
    expect(isVersionId(mistyped)).toBe(false);
    expect(isVersionId(id.slice(0, 31))).toBe(false);
    expect(isVersionId('null')).toBe(false);
  });
});
