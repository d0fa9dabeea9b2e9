import { loadModel } from '../../protocol/index.js';

/** CloudWatch Logs' model (botocore's logs/2014-03-28, JSON 1.1, X-Amz-Target `Logs_20140328.<Operation>`). */
export const LOGS_MODEL = loadModel('logs');
