export { Gateway, type GatewayOptions, type GatewayRoutes } from './server.js';
export { signatureScope, type SignatureScope } from './sigv4.js';
export { RequestVerifier, RootKey, ROOT_KEY_FILE, signRequest, type KeySecret, type SecretLookup, type SigningCredentials } from './auth/index.js';
export { DEFAULT_GATEWAY_LIMITS, type GatewayLimits } from './limits.js';
