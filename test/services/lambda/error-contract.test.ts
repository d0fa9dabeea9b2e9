import { describe, it } from 'vitest';
import { loadModel } from '../../../src/protocol/index.js';
import { ERROR_TYPES, FRAMEWORK_ERRORS } from '../../../src/services/lambda/index.js';
import { expectErrorsInModel } from '../../protocol/error-contract.js';

describe('Lambda API: error contract', () => {
  it("sends only the model's error shapes and the framework errors AWS's front end sends", () => {
    expectErrorsInModel(loadModel('lambda'), ERROR_TYPES, FRAMEWORK_ERRORS);
  });
});
