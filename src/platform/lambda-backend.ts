import type { Clock, Logger } from '../core/index.js';
import type { EventInvokeConfigs, EventSourceMappings, FunctionCalls } from '../events/index.js';
import type { FunctionRegistry } from '../functions/index.js';
import { LambdaService, type LambdaBackend } from '../services/lambda/index.js';

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
  };
  return new LambdaService(backend, { region: parts.region, accountId: parts.accountId, logger: parts.logger });
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
