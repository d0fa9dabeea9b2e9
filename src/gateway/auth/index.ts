/**
 * Signature verification for the AWS-compatible APIs (server mode): SigV4 headers and presigned URLs, S3's chunk
 * signatures, POST policies and SigV2, with each API's own errors. Local mode does not construct any of this.
 */
export { RequestVerifier, type Verdict } from './verify.js';
export { verifyPostPolicy } from './form.js';
export type { KeySecret, SecretLookup } from './secrets.js';
export { signRequest, type SigningCredentials, type RequestToSign } from './sign.js';
export { RootKey, ROOT_KEY_FILE } from './root-key.js';
