import { afterAll, beforeAll, describe, it } from 'vitest';
import { loadModel } from '../../src/protocol/index.js';
import { IAM_ERROR_TYPES, IAM_FRAMEWORK_ERRORS, IAM_MODEL } from '../../src/services/iam/index.js';
import { SNS_ERROR_TYPES, SNS_FRAMEWORK_ERRORS, SNS_MODEL } from '../../src/services/sns/index.js';
import { SQS_ERROR_TYPES, SQS_FRAMEWORK_ERRORS } from '../../src/services/sqs/index.js';
import { STS_ERROR_TYPES, STS_FRAMEWORK_ERRORS, STS_MODEL } from '../../src/services/sts/index.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { fuzzService } from './service-fuzz.js';

/** SQS answers in JSON when the request names a target or a JSON protocol's content type, in XML otherwise. */
function sqsFormat(headers: Record<string, string>): 'json' | 'xml' {
  return headers['x-amz-target'] !== undefined || (headers['content-type'] ?? '').includes('x-amz-json') ? 'json' : 'xml';
}

/** The query protocol (form-encoded Action=... bodies, XML answers) of SQS, SNS, STS and IAM. */
describe('fuzz: query protocol', () => {
  let test: TestNode;
  beforeAll(async () => {
    test = await startTestNode();
  });
  afterAll(async () => {
    await test.close();
  });

  it('SNS answers every request with a success or its own XML error', async () => {
    const extraCodes = [...SNS_ERROR_TYPES, ...Object.keys(SNS_FRAMEWORK_ERRORS)];
    await fuzzService(test.node, { model: SNS_MODEL, wire: 'query', signingName: 'sns', format: 'xml', extraCodes }, { generated: 100, mutated: 100 });
  });

  it('SQS over the query protocol answers with a success or its own XML error', async () => {
    // SQS's query error codes are the legacy ones (AWS.SimpleQueueService.NonExistentQueue), the model's error.code.
    const extraCodes = [...SQS_ERROR_TYPES, ...Object.keys(SQS_FRAMEWORK_ERRORS)];
    await fuzzService(test.node, { model: loadModel('sqs'), wire: 'query', signingName: 'sqs', format: sqsFormat, extraCodes, skip: ['ReceiveMessage'] }, { generated: 80, mutated: 80 });
  });

  it('STS and IAM answer every request with a success or their own XML error', async () => {
    await fuzzService(test.node, { model: STS_MODEL, wire: 'query', signingName: 'sts', format: 'xml', extraCodes: [...STS_ERROR_TYPES, ...Object.keys(STS_FRAMEWORK_ERRORS)] }, { generated: 60, mutated: 60 });
    await fuzzService(test.node, { model: IAM_MODEL, wire: 'query', signingName: 'iam', format: 'xml', extraCodes: [...IAM_ERROR_TYPES, ...Object.keys(IAM_FRAMEWORK_ERRORS)] }, { generated: 100, mutated: 100 });
  });
});
