import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../../src/protocol/index.js';
import { LOGS_ERROR_TYPES, LOGS_FRAMEWORK_ERRORS } from '../../../src/services/logs/index.js';
import { expectErrorsInModel } from '../../protocol/error-contract.js';

const SERVICE_DIR = new URL('../../../src/services/logs/', import.meta.url);

describe('the error contract of CloudWatch Logs', () => {
  it("answers only with its model's error shapes, or framework errors named with the reason they are not modelled", () => {
    expectErrorsInModel(loadModel('logs'), [...LOGS_ERROR_TYPES, ...Object.keys(LOGS_FRAMEWORK_ERRORS)], LOGS_FRAMEWORK_ERRORS);
  });

  it('builds every wire error in errors.ts, so the lists above are all it can answer with', () => {
    const elsewhere = readdirSync(SERVICE_DIR)
      .filter((file) => file.endsWith('.ts') && file !== 'errors.ts' && file !== 'api.ts')
      .filter((file) => /new AwsError\(|modelledError\(|new FlintError\(|\.error\(/.test(readFileSync(new URL(file, SERVICE_DIR), 'utf8')));
    expect(elsewhere).toEqual([]);
  });
});
