import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { STS_ERROR_TYPES, STS_FRAMEWORK_ERRORS, STS_MODEL } from '../../../src/services/sts/index.js';
import { expectErrorsInModel } from '../../protocol/error-contract.js';

const SERVICE_DIR = new URL('../../../src/services/sts/', import.meta.url);

describe('the error contract of STS', () => {
  it("answers only with its model's error shapes, or framework errors named with the reason they are not modelled", () => {
    expectErrorsInModel(STS_MODEL, [...STS_ERROR_TYPES, ...Object.keys(STS_FRAMEWORK_ERRORS)], STS_FRAMEWORK_ERRORS);
  });

  it('builds every wire error in errors.ts, so the lists above are all it can answer with', () => {
    const elsewhere = readdirSync(SERVICE_DIR)
      .filter((file) => file.endsWith('.ts') && file !== 'errors.ts')
      .filter((file) => /new AwsError\(|modelledError\(/.test(readFileSync(new URL(file, SERVICE_DIR), 'utf8')));
    expect(elsewhere).toEqual([]);
  });
});
