export { FlintNode, prepareApp, startNode, type NodeOptions } from './node.js';
export { FLINT_VERSION } from './version.js';
