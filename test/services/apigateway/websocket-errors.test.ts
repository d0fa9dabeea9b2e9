import { describe, it } from 'vitest';
import { MANAGEMENT_ERROR_TYPES, MANAGEMENT_MODEL } from '../../../src/services/apigateway/index.js';
import { expectErrorsInModel } from '../../protocol/error-contract.js';

describe('the error contract of the @connections API', () => {
  it("answers only with its model's error shapes", () => {
    expectErrorsInModel(MANAGEMENT_MODEL, MANAGEMENT_ERROR_TYPES);
  });
});
