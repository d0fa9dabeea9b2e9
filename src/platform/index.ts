export { FlintNode, prepareApp, startNode, type NodeAuth, type NodeOptions } from './node.js';
export { FLINT_VERSION } from './version.js';
export type { InProcessRequest, InProcessResponse } from './in-process.js';
export type { DataServices } from './data-services.js';
export type { EventSystem } from './event-wiring.js';
export { withTemplate } from './template-report.js';
