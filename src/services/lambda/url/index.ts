/** Function URLs served by the node: see endpoint.ts. */
export { FunctionUrlEndpoint, FORBIDDEN_MESSAGE, type FunctionUrlEndpointOptions } from './endpoint.js';
export { isFunctionUrlRequest, localUrls, URL_PATH_PREFIX } from './address.js';
export type { WhoIs } from './access.js';
