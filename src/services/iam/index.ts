/** IAM-compatible identities and policies, and who an access key is. See service.ts for what matches AWS. */
export { IamService, type IamServiceOptions, type RoleInfo } from './service.js';
export type { FunctionRoleInput } from './function-roles.js';
export type { IamContext } from './context.js';
export { Identity, type Caller, type CallerAnswer, type CallerKind, type NewSession } from './identity.js';
export { IAM_ERROR_TYPES, IAM_FRAMEWORK_ERRORS, IAM_MODEL } from './errors.js';
export { accountOfKey, partitionOf, stableId } from './ids.js';
export type { SessionRecord, TagRecord } from './records.js';
export { conditionsHold, denialMessage, evaluate, parsePolicy, statementApplies } from './evaluate/index.js';
export type { AuthzRequest, ContextValues, Decision, Evaluation, Policy, PolicySet, RequestPrincipal, SourcedPolicy } from './evaluate/index.js';
