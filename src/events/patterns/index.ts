/** EventBridge's event pattern language, shared by EventBridge rules and Lambda's event filtering. */
export { compileEventPattern, type EventPattern } from './compile.js';
export { PatternError } from './types.js';
