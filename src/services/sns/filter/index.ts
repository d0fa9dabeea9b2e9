/** SNS subscription filter policies: validation with SNS's messages, and evaluation against a message. */
export { compileFilterPolicy, type CompileOptions } from './compile.js';
export { matchesPolicy } from './match.js';
export { FILTER_POLICY_SCOPES, type CompiledPolicy, type FilterPolicyScope } from './types.js';
