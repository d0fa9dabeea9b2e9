import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../../src/protocol/index.js';
import { SCHEDULER_ERROR_TYPES, SCHEDULER_FRAMEWORK_ERRORS } from '../../../src/services/scheduler/index.js';
import { expectErrorsInModel } from '../../protocol/error-contract.js';

const SERVICE_DIR = new URL('../../../src/services/scheduler/', import.meta.url);

describe('the error contract of Scheduler', () => {
  it("answers only with its model's error shapes, or framework errors named with the reason they are not modelled", () => {
    expectErrorsInModel(loadModel('scheduler'), [...SCHEDULER_ERROR_TYPES, ...Object.keys(SCHEDULER_FRAMEWORK_ERRORS)], SCHEDULER_FRAMEWORK_ERRORS);
  });

  it('builds every wire error in errors.ts, so the lists above are all it can answer with', () => {
    const elsewhere = readdirSync(SERVICE_DIR)
      .filter((file) => file.endsWith('.ts') && file !== 'errors.ts')
      .filter((file) => /new AwsError\(|modelledError\(|new FlintError\(/.test(readFileSync(new URL(file, SERVICE_DIR), 'utf8')));
    expect(elsewhere).toEqual([]);
  });
});
