/** DynamoDB's API over the tables store; see service.ts for what matches AWS and what does not. */
export { DynamoDbService, DYNAMODB_REQUEST_LIMIT, type DynamoDbServiceOptions } from './service.js';
export { DYNAMODB_ERROR_TYPES, FRAMEWORK_ERRORS, STREAMS_ERROR_TYPES } from './errors.js';
export { ensureTable, type TableDeclaration } from './ensure-table.js';
export type { DeclaredIndex, TableSettingsDeclaration } from './ensure-table-settings.js';
export { formatStreamRecord, sequenceNumber } from './ops/streams.js';
