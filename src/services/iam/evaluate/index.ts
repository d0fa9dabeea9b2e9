/**
 * IAM policy evaluation: one evaluator for identity-based policies, resource-based policies (S3 bucket policies,
 * queue, topic and function policies), permissions boundaries and session policies, used by enforcement, the policy
 * simulator and S3's bucket policies alike.
 */
export { conditionsHold } from './conditions.js';
export { denialMessage, denialReason, evaluate } from './evaluate.js';
export { statementApplies } from './match.js';
export { parsePolicy } from './parse.js';
export type { AuthzRequest, ContextValues, Decision, Evaluation, MatchedStatement, Policy, PolicySet, PolicySource, RequestPrincipal, SourcedPolicy, Statement } from './types.js';
