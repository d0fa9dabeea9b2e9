/** EventBridge-compatible event buses, rules and targets: the JSON API and durable delivery. See service.ts. */
export { EventBridgeService, type EventBridgeOptions, type EventBridgeStorage, type FlintSchedule } from './service.js';
export { EVENTS_ERROR_TYPES, EVENTS_FRAMEWORK_ERRORS, EVENTS_MODEL } from './errors.js';
export type { EventTargets } from './types.js';
export type { AppRule } from './app-rules.js';
