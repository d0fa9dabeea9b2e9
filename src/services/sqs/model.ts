import { loadModel } from '../../protocol/index.js';

/** SQS's model (botocore's JSON model, with the query protocol's names and legacy error codes kept as `query` traits). */
export const SQS_MODEL = loadModel('sqs');
