export { ERROR_CODES, FlintError, isFlintError, toFlintError, type ErrorCode } from './errors.js';
export { FakeClock, RealClock, type Clock, type Timer } from './clock.js';
export { requestId, shortId } from './ids.js';
export { LIMITS } from './limits.js';
export { createLogger, silentLogger, type Logger, type LogLevel, type LoggerOptions } from './logger.js';
export { RUNTIMES, RUNTIME_IDS, runtimeInfo, type RuntimeFamily, type RuntimeInfo } from './runtimes.js';
export { buffered, bufferBody, responseBytes, type BufferedRequest, type BufferedResponse, type BufferedService, type RequestBody, type ResponseBody, type Service, type ServiceRequest, type ServiceResponse } from './service.js';
export { RESERVED_ENV_KEYS } from './reserved-env.js';
export { readBody, streamBody } from './read-body.js';
