/** Lambda's REST-JSON API; see service.ts for what matches AWS and what does not. */
export { LambdaService, CODE_REQUEST_LIMIT, requestLimit, type LambdaServiceOptions } from './service.js';
export type { LambdaBackend } from './backend.js';
export { ERROR_TYPES, FRAMEWORK_ERRORS } from './errors.js';
export { FunctionUrlEndpoint, FORBIDDEN_MESSAGE, isFunctionUrlRequest, localUrls, URL_PATH_PREFIX, type FunctionUrlEndpointOptions, type WhoIs } from './url/index.js';
export { functionUrlOf } from './function-urls.js';
