export { Gateway, type GatewayOptions, type GatewayRoutes } from './server.js';
export { signatureScope, type SignatureScope } from './sigv4.js';
export { DEFAULT_GATEWAY_LIMITS, type GatewayLimits } from './limits.js';
