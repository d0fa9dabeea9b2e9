/** EventBridge Scheduler: the `scheduler` API and schedules that fire on the node's clock. See service.ts for fidelity. */
export { SchedulerService, type SchedulerServiceOptions, type SchedulerStorage } from './service.js';
export { INVOCATION_QUEUE } from './invocations.js';
export { SCHEDULER_ERROR_TYPES, SCHEDULER_FRAMEWORK_ERRORS, SCHEDULER_MODEL } from './errors.js';
export { atInstant, flexibleDelayMs, nextInvocation, parseExpression, zoneNamed, type Plan, type Recurrence } from './expressions.js';
export type { SchedulerTargets, StringAttribute } from './types.js';
