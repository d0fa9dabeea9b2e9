/**
 * Asynchronous delivery to functions: the durable async invocation queue with retries, destinations and
 * dead-letter targets; event invoke configurations; event source mappings (SQS queues, DynamoDB streams), their
 * pollers and filters; schedules; EventBridge's event pattern language (patterns/), which EventBridge rules and
 * Lambda's event filtering share.
 */
export { cappedBackoff } from './backoff.js';
export {
  AsyncInvocations,
  ASYNC_QUEUE,
  type AsyncEvent,
  type AsyncInvocationOptions,
  type AsyncOutcome,
  type AsyncTarget,
} from './async-invocations.js';
export { invocationRecord, deadLetterAttributes, type AsyncCondition, type InvocationRecordInput } from './async-outcomes.js';
export {
  EventInvokeConfigs,
  type AsyncSettings,
  type Destinations,
  type EventInvokeConfig,
  type EventInvokeConfigInput,
  type EventInvokeConfigsOptions,
} from './invoke-configs.js';
export { EventSourceMappings, type EventSourceMappingsOptions } from './event-source-mappings.js';
export type { EventSourceMapping, MappingFilter, MappingInput, MappingKind, MappingState, StartingPosition, StreamSettings } from './mapping-types.js';
export { TableStreamSource, type TableStreamSourceOptions } from './table-streams.js';
export { Scheduler, derivedUuid, type ScheduleRule, type SchedulerOptions } from './schedules.js';
export { parseSchedule, nextFire, type Schedule } from './schedule-expressions.js';
export { TimeZone, naiveMs, naiveFields, type LocalTime } from './time-zone.js';
export type {
  DestinationAttribute,
  DestinationSender,
  QueueDescription,
  QueueRecord,
  QueueRecordAttribute,
  QueueSource,
  StreamDescription,
  StreamEntry,
  StreamSource,
} from './ports.js';
export { FunctionCaller, type CallObserver, type CallRecord, type CallResult, type CallStart, type FunctionCall, type FunctionCalls, type FunctionCallerOptions } from './function-calls.js';
export { FunctionTargets, toTarget, type Target } from './targets.js';
export { LeaseWorker, type LeaseWorkerOptions } from './lease-worker.js';
export { compileEventPattern, PatternError, type EventPattern } from './patterns/index.js';
