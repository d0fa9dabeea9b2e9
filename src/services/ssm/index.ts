/** SSM Parameter Store: parameters, paths, SecureString, versions and labels. See service.ts for fidelity. */
export { SsmService, type DeclaredParameter, type SsmServiceOptions } from './service.js';
export { SSM_ERROR_TYPES, SSM_FRAMEWORK_ERRORS, SSM_MODEL } from './errors.js';
export type { ReferencedSecret, SecretReferences } from './types.js';
