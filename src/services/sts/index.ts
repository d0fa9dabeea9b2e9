/** STS-compatible caller identity and temporary credentials. See service.ts for what matches AWS. */
export { StsService, type StsServiceOptions } from './service.js';
export type { RoleDirectory } from './context.js';
export { STS_ERROR_TYPES, STS_FRAMEWORK_ERRORS, STS_MODEL } from './errors.js';
