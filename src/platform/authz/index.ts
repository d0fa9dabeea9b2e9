/** IAM policy enforcement on the AWS APIs (off in local mode unless asked for; on in server mode). */
export { Authorization, type AuthorizationMode, type AuthorizationParts } from './authorization.js';
export { functionPolicy, type FunctionPermission, type ResourcePolicies } from './resource-policies.js';
export type { Scope } from './targets.js';
export { nodeResourcePolicies } from './node-policies.js';
