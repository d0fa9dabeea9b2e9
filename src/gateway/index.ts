export { Gateway, type GatewayOptions, type GatewayRoutes } from './server.js';
export { signatureScope, type SignatureScope } from './sigv4.js';
