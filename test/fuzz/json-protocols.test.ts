import { afterAll, beforeAll, describe, it } from 'vitest';
import { loadModel } from '../../src/protocol/index.js';
import { DYNAMODB_ERROR_TYPES, FRAMEWORK_ERRORS } from '../../src/services/dynamodb/index.js';
import { EVENTS_ERROR_TYPES, EVENTS_FRAMEWORK_ERRORS } from '../../src/services/events/index.js';
import { LOGS_ERROR_TYPES, LOGS_FRAMEWORK_ERRORS } from '../../src/services/logs/index.js';
import { SECRETS_ERROR_TYPES, SECRETS_FRAMEWORK_ERRORS } from '../../src/services/secretsmanager/index.js';
import { SQS_ERROR_TYPES, SQS_FRAMEWORK_ERRORS } from '../../src/services/sqs/index.js';
import { SSM_ERROR_TYPES, SSM_FRAMEWORK_ERRORS } from '../../src/services/ssm/index.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { fuzzService } from './service-fuzz.js';

/** The JSON protocols (1.0 and 1.1) of every service that speaks them, from model-generated and mutated requests. */
describe('fuzz: JSON protocols', () => {
  let test: TestNode;
  beforeAll(async () => {
    test = await startTestNode();
  });
  afterAll(async () => {
    await test.close();
  });

  it('DynamoDB (JSON 1.0) answers every request with a success or its own error', async () => {
    const extraCodes = [...DYNAMODB_ERROR_TYPES, ...Object.keys(FRAMEWORK_ERRORS)];
    await fuzzService(test.node, { model: loadModel('dynamodb'), wire: 'json', signingName: 'dynamodb', format: 'json', extraCodes }, { generated: 100, mutated: 100 });
  });

  it('SQS (JSON 1.0) answers every request with a success or its own error', async () => {
    const extraCodes = [...SQS_ERROR_TYPES, ...Object.keys(SQS_FRAMEWORK_ERRORS)];
    await fuzzService(test.node, { model: loadModel('sqs'), wire: 'json', signingName: 'sqs', format: 'json', extraCodes, skip: ['ReceiveMessage'] }, { generated: 100, mutated: 100 });
  });

  it('CloudWatch Logs, EventBridge, SSM and Secrets Manager (JSON 1.1) answer with a success or their own error', async () => {
    const services = [
      { id: 'logs', codes: [...LOGS_ERROR_TYPES, ...Object.keys(LOGS_FRAMEWORK_ERRORS)], skip: ['StartLiveTail'] },
      { id: 'events', codes: [...EVENTS_ERROR_TYPES, ...Object.keys(EVENTS_FRAMEWORK_ERRORS)] },
      { id: 'ssm', codes: [...SSM_ERROR_TYPES, ...Object.keys(SSM_FRAMEWORK_ERRORS)] },
      { id: 'secretsmanager', codes: [...SECRETS_ERROR_TYPES, ...Object.keys(SECRETS_FRAMEWORK_ERRORS)] },
    ];
    for (const service of services) {
      await fuzzService(test.node, { model: loadModel(service.id), wire: 'json', signingName: service.id, format: 'json', extraCodes: service.codes, skip: service.skip }, { generated: 60, mutated: 60 });
    }
  });
});
