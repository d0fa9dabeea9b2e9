export { ERROR_CODES, FlintError, isFlintError, toFlintError, type ErrorCode } from './errors.js';
export { FakeClock, RealClock, type Clock, type Timer } from './clock.js';
export { requestId, shortId } from './ids.js';
export { LIMITS } from './limits.js';
export { createLogger, silentLogger, type Logger, type LogLevel, type LoggerOptions } from './logger.js';
export { RUNTIMES, RUNTIME_IDS, runtimeInfo, type RuntimeFamily, type RuntimeInfo } from './runtimes.js';
export type { Service, ServiceRequest, ServiceResponse, StreamContext, StreamingService } from './service.js';
export { RESERVED_ENV_KEYS } from './reserved-env.js';
export { readBody } from './read-body.js';
