import type { EventInvokeConfigs, EventSourceMappings, FunctionCalls } from '../../events/index.js';
import type { FunctionRegistry } from '../../functions/index.js';

/** What the Lambda API needs from the node; the platform composes it from the registry, invoker and async queue. */
export interface LambdaBackend {
  readonly registry: FunctionRegistry;
  /** How functions are called on the node: RequestResponse runs now, Event is stored for the async queue. */
  readonly calls: FunctionCalls;
  /** Provisioned instances of this function and qualifier that are initialised and ready now. */
  provisionedReady(functionName: string, qualifier: string): number;
  /** The node's event source mappings; without them the mapping operations answer UnknownOperationException. */
  readonly eventSourceMappings?: EventSourceMappings;
  /** Asynchronous invocation configurations; without them those operations answer UnknownOperationException. */
  readonly eventInvokeConfigs?: EventInvokeConfigs;
  /**
   * An object of the node's S3 (the latest version, or the one named), for PublishLayerVersion's Content.S3Bucket and
   * S3Key; 'NoSuchBucket' or 'NoSuchKey' when it is not there. Without it, code from S3 is refused.
   */
  readS3Object?(bucket: string, key: string, versionId?: string): Promise<Uint8Array | 'NoSuchBucket' | 'NoSuchKey'>;
}
