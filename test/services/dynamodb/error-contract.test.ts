import { describe, it } from 'vitest';
import { loadModel } from '../../../src/protocol/index.js';
import { DYNAMODB_ERROR_TYPES, FRAMEWORK_ERRORS, STREAMS_ERROR_TYPES } from '../../../src/services/dynamodb/index.js';
import { expectErrorsInModel } from '../../protocol/error-contract.js';

describe('DynamoDB error contract', () => {
  it("sends the DynamoDB model's error shapes and the framework's errors, nothing else", () => {
    expectErrorsInModel(loadModel('dynamodb'), DYNAMODB_ERROR_TYPES, FRAMEWORK_ERRORS);
  });

  it("sends the DynamoDB Streams model's error shapes and the framework's errors, nothing else", () => {
    expectErrorsInModel(loadModel('dynamodbstreams'), STREAMS_ERROR_TYPES, FRAMEWORK_ERRORS);
  });
});
