export { Gateway, type GatewayOptions, type MountedService } from './server.js';
export { signatureScope, type SignatureScope } from './sigv4.js';
