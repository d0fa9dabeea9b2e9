import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../../src/protocol/index.js';
import { SQS_ERROR_TYPES, SQS_FRAMEWORK_ERRORS } from '../../../src/services/sqs/index.js';
import { expectErrorsInModel } from '../../protocol/error-contract.js';

const SERVICE_DIR = new URL('../../../src/services/sqs/', import.meta.url);

describe('the error contract of SQS', () => {
  it("answers only with its model's error shapes, or framework errors named with the reason they are not modelled", () => {
    expectErrorsInModel(loadModel('sqs'), [...SQS_ERROR_TYPES, ...Object.keys(SQS_FRAMEWORK_ERRORS)], SQS_FRAMEWORK_ERRORS);
  });

  it('builds every wire error in errors.ts, so the lists above are all it can answer with', () => {
    const elsewhere = readdirSync(SERVICE_DIR)
      .filter((file) => file.endsWith('.ts') && file !== 'errors.ts')
      .filter((file) => /new AwsError\(|modelledError\(|new FlintError\(/.test(readFileSync(new URL(file, SERVICE_DIR), 'utf8')));
    // ensure.ts checks flint.yaml declarations, which never reach the wire.
    expect(elsewhere).toEqual(['ensure.ts']);
  });
});
