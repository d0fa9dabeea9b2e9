import { afterAll, beforeAll, describe, it } from 'vitest';
import { loadModel } from '../../src/protocol/index.js';
import { ERROR_TYPES, FRAMEWORK_ERRORS } from '../../src/services/lambda/index.js';
import { SCHEDULER_ERROR_TYPES, SCHEDULER_FRAMEWORK_ERRORS } from '../../src/services/scheduler/index.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { fuzzService } from './service-fuzz.js';

/** REST-JSON (URI templates, query strings, headers and a JSON body): Lambda's API and EventBridge Scheduler. */
describe('fuzz: REST-JSON', () => {
  let test: TestNode;
  beforeAll(async () => {
    test = await startTestNode();
  });
  afterAll(async () => {
    await test.close();
  });

  it("Lambda's API answers every request with a success or its own error (x-amzn-ErrorType)", async () => {
    const extraCodes = [...ERROR_TYPES, ...Object.keys(FRAMEWORK_ERRORS)];
    // Invoke runs code; the zip fuzzer reaches CreateFunction with packages of its own.
    const skip = ['Invoke', 'InvokeAsync', 'InvokeWithResponseStream'];
    await fuzzService(test.node, { model: loadModel('lambda'), wire: 'rest-json', signingName: 'lambda', format: 'json', extraCodes, skip }, { generated: 100, mutated: 100 });
  });

  it('EventBridge Scheduler answers every request with a success or its own error', async () => {
    const extraCodes = [...SCHEDULER_ERROR_TYPES, ...Object.keys(SCHEDULER_FRAMEWORK_ERRORS)];
    await fuzzService(test.node, { model: loadModel('scheduler'), wire: 'rest-json', signingName: 'scheduler', format: 'json', extraCodes }, { generated: 80, mutated: 80 });
  });
});
