/** Amazon CloudWatch Logs; see service.ts for what matches AWS and what does not. */
export { LogsService, type LogsServiceOptions } from './service.js';
export { LOGS_ERROR_TYPES, LOGS_FRAMEWORK_ERRORS } from './errors.js';
export { compileFilterPattern, FilterPatternError, type LogMatcher } from './filter-pattern.js';
