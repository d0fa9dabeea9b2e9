export { RuntimeHost, stemFamilyOf, type StemCell, type StemFamily, type StemKind } from './host.js';
export * from './toolchain/index.js';
export { Instance, type InstanceState } from './instance.js';
export { logStreamName } from './env.js';
export { createSandbox, type SandboxKind } from './sandbox/detect.js';
export { hostPaths, type HostPaths } from './sandbox/host-paths.js';
export type { Sandbox } from './sandbox/sandbox.js';
export type { InitFailure, InstanceConfig, InstanceCredentials, InvokeOutcome, InvokeRequest, InvokeStatus, ResponseStreamSink, RuntimeHostOptions, StartKind } from './types.js';
export { RESPONSE_STREAM_LIMIT_BYTES, streamTooLargeDocument, HTTP_INTEGRATION_CONTENT_TYPE } from './response-stream.js';
