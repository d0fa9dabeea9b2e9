import type { Clock, Logger, Service } from '../core/index.js';
import type { EventInvokeConfigs, EventSourceMappings, FunctionCalls } from '../events/index.js';
import type { FunctionRegistry } from '../functions/index.js';
import type { Identity } from '../services/iam/index.js';
import { FunctionUrlEndpoint, LambdaService, type LambdaBackend } from '../services/lambda/index.js';
import type { ObjectStore } from '../storage/index.js';

export interface LambdaParts {
  registry: FunctionRegistry;
  /** Late: the calls exist once the invoker does. */
  calls: () => FunctionCalls;
  region: string;
  accountId: string;
  clock: Clock;
  logger: Logger;
  provisionedReady: (functionName: string, qualifier: string) => number;
  /** Late: the event system exists once the invoker does. */
  events: () => { mappings: EventSourceMappings; invokeConfigs: EventInvokeConfigs } | undefined;
  /** The node's S3 objects, read for PublishLayerVersion's Content.S3Bucket/S3Key. */
  objects?: ObjectStore;
  /** Told after CreateFunction, which (unlike updates) the registry announces to no listener. */
  onCreated?: (functionName: string) => void;
}

/** The Lambda API over the node's registry, function calls and event machinery. */
export function createLambdaService(parts: LambdaParts): LambdaService {
  const backend: LambdaBackend = {
    registry: parts.onCreated ? announcingCreates(parts.registry, parts.onCreated) : parts.registry,
    provisionedReady: parts.provisionedReady,
    get calls() {
      return parts.calls();
    },
    get eventSourceMappings() {
      return parts.events()?.mappings;
    },
    get eventInvokeConfigs() {
      return parts.events()?.invokeConfigs;
    },
    ...(parts.objects ? { readS3Object: s3Reader(parts.objects) } : {}),
  };
  return new LambdaService(backend, { region: parts.region, accountId: parts.accountId, logger: parts.logger });
}

/** Reads an object's bytes as Lambda's GetObject of layer code does: the version named, or the latest. */
function s3Reader(objects: ObjectStore): NonNullable<LambdaBackend['readS3Object']> {
  return async (bucket, key, versionId) => {
    if (!(await objects.getBucket(bucket))) return 'NoSuchBucket';
    const object = versionId === undefined ? await objects.getObject(bucket, key) : await objects.getVersion(bucket, key, versionId);
    const body = object && !object.deleteMarker ? await objects.readBody(object) : undefined;
    return body ?? 'NoSuchKey';
  };
}

/** Function URLs over the node's registry and function calls; IAM's identity names who signed an AWS_IAM request. */
export function createFunctionUrlEndpoint(
  parts: Pick<LambdaParts, 'registry' | 'calls' | 'region' | 'accountId' | 'clock'> & { identity: Identity; elsewhere?: (urlId: string) => Promise<Service | undefined> },
): FunctionUrlEndpoint {
  return new FunctionUrlEndpoint({
    elsewhere: parts.elsewhere,
    registry: parts.registry,
    calls: parts.calls,
    region: parts.region,
    accountId: parts.accountId,
    clock: parts.clock,
    whoIs: async (accessKeyId, sessionToken) => {
      const answer = await parts.identity.whoIs(accessKeyId, sessionToken);
      return 'refused' in answer ? 'refused' : { accountId: answer.caller.accountId, arn: answer.caller.arn, userId: answer.caller.userId };
    },
  });
}

/** The registry, with `create` also telling `onCreated` (every other method is the registry's own). */
function announcingCreates(registry: FunctionRegistry, onCreated: (functionName: string) => void): FunctionRegistry {
  const announcing = Object.create(registry) as FunctionRegistry;
  announcing.create = async (input) => {
    const config = await registry.create(input);
    onCreated(config.name);
    return config;
  };
  return announcing;
}
