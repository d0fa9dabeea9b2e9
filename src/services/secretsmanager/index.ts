/** AWS Secrets Manager: secrets, versions and stages, rotation through functions. See service.ts for fidelity. */
export { SecretsManagerService, type DeclaredSecret, type SecretsManagerOptions } from './service.js';
export type { RotationFunctions } from './rotation.js';
export { SECRETS_ERROR_TYPES, SECRETS_FRAMEWORK_ERRORS, SECRETS_MODEL } from './errors.js';
