import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EVENTS_ERROR_TYPES, EVENTS_FRAMEWORK_ERRORS, EVENTS_MODEL } from '../../../src/services/events/index.js';
import { expectErrorsInModel } from '../../protocol/error-contract.js';

const SERVICE_DIR = new URL('../../../src/services/events/', import.meta.url);

describe('the error contract of EventBridge', () => {
  it("answers only with its model's error shapes, or framework errors named with the reason they are not modelled", () => {
    expectErrorsInModel(EVENTS_MODEL, [...EVENTS_ERROR_TYPES, ...Object.keys(EVENTS_FRAMEWORK_ERRORS)], EVENTS_FRAMEWORK_ERRORS);
  });

  it('builds every wire error in errors.ts, so the lists above are all it can answer with', () => {
    const elsewhere = readdirSync(SERVICE_DIR)
      .filter((file) => file.endsWith('.ts') && file !== 'errors.ts')
      .filter((file) => /new AwsError\(|modelledError\(|new FlintError\(/.test(readFileSync(new URL(file, SERVICE_DIR), 'utf8')));
    expect(elsewhere).toEqual([]);
  });
});
