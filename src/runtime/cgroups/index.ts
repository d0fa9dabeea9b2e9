export { Cgroups, PIDS_MAX, type InstanceCgroup } from './cgroups.js';
export { findHierarchy, type Hierarchy } from './hierarchy.js';
export { joinCommand } from './join.js';
