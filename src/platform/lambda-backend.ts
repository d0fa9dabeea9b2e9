import type { Clock, Logger } from '../core/index.js';
import type { AsyncInvocations, EventInvokeConfigs, EventSourceMappings } from '../events/index.js';
import type { FunctionRegistry } from '../functions/index.js';
import type { Invoker } from '../invoker/index.js';
import { LambdaService, type LambdaBackend } from '../services/lambda/index.js';
import type { Targets } from './targets.js';

export interface LambdaParts {
  registry: FunctionRegistry;
  targets: Targets;
  ready: () => { invoker: Invoker; async: AsyncInvocations };
  region: string;
  accountId: string;
  clock: Clock;
  logger: Logger;
  provisionedReady: (functionName: string, qualifier: string) => number;
  /** Late: the event system exists once the invoker does. */
  events: () => { mappings: EventSourceMappings; invokeConfigs: EventInvokeConfigs } | undefined;
}

export function createLambdaService(parts: LambdaParts): { service: LambdaService; backend: LambdaBackend } {
  const backend: LambdaBackend = {
    registry: parts.registry,
    provisionedReady: parts.provisionedReady,
    get eventSourceMappings() {
      return parts.events()?.mappings;
    },
    get eventInvokeConfigs() {
      return parts.events()?.invokeConfigs;
    },
    invokeSync: async (functionName, qualifier, input) => {
      const target = await parts.targets.resolve(functionName, qualifier);
      const result = await parts.ready().invoker.invoke(target, { requestId: input.requestId, payload: input.payload, invokedArn: target.arn, clientContext: input.clientContext });
      return { result, executedVersion: target.version };
    },
    invokeAsync: async (functionName, qualifier, input) => {
      await parts.targets.resolve(functionName, qualifier); // FUNCTION_NOT_FOUND now, not at delivery
      await parts.ready().async.accept({
        requestId: input.requestId,
        functionName,
        qualifier,
        payload: input.payload.toString('base64'),
        clientContext: input.clientContext,
      });
    },
  };
  return { service: new LambdaService(backend, { region: parts.region, accountId: parts.accountId, logger: parts.logger }), backend };
}
