export { Gateway, type GatewayOptions } from './server.js';
export { signatureScope, type SignatureScope } from './sigv4.js';
