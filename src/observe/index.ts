export { BatchingLogSink, type LogSink, type LogListener } from './log-sink.js';
