/** SNS-compatible topics: the query/XML API and durable fan-out. See service.ts for what matches AWS. */
export { SnsService, type EnsureSubscriptionInput, type SnsServiceOptions, type SnsStorage } from './service.js';
export { DELIVERY_QUEUE } from './delivery-items.js';
export { SNS_ERROR_TYPES, SNS_FRAMEWORK_ERRORS, SNS_MODEL } from './errors.js';
export { compileFilterPolicy, matchesPolicy, type CompiledPolicy, type FilterPolicyScope } from './filter/index.js';
export type {
  MessageAttribute,
  MessageAttributes,
  Protocol,
  PublishInput,
  PublishResult,
  QueueMessageAttribute,
  SnsLambdaEvent,
  SnsTargets,
} from './types.js';
