export { BatchingLogSink, type LogSink, type LogListener } from './log-sink.js';
export { LogRetention, type LogRetentionOptions, type RetentionPolicies } from './log-retention.js';
