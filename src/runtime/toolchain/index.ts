export { RuntimeToolchain, type ToolchainNeeds, type ToolchainOptions, type ToolchainProblems } from './toolchain.js';
export { cacheRoot, type Progress } from './cache.js';
export type { NodeBinary } from './node-binaries.js';
export { boto3InstallCommand, hostPython, missingBoto3Message, SYSTEM_PYTHON, type HostPython } from './python.js';
