export { batchExecuteStatement } from './batch.js';
export { executeStatement } from './execute.js';
export { executeTransaction } from './transaction.js';
