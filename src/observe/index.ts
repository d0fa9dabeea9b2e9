export { BatchingLogSink, type LogSink, type LogListener } from './log-sink.js';
export { LogRetention, type LogRetentionOptions } from './log-retention.js';
