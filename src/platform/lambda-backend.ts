import type { Clock, Logger } from '../core/index.js';
import type { EventInvokeConfigs, EventSourceMappings, FunctionCalls } from '../events/index.js';
import type { FunctionRegistry } from '../functions/index.js';
import type { Identity } from '../services/iam/index.js';
import { FunctionUrlEndpoint, LambdaService, type LambdaBackend } from '../services/lambda/index.js';

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
}

/** The Lambda API over the node's registry, function calls and event machinery. */
export function createLambdaService(parts: LambdaParts): LambdaService {
  const backend: LambdaBackend = {
    registry: parts.registry,
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

/** Function URLs over the node's registry and function calls; IAM's identity names who signed an AWS_IAM request. */
export function createFunctionUrlEndpoint(parts: Pick<LambdaParts, 'registry' | 'calls' | 'region' | 'accountId' | 'clock'> & { identity: Identity }): FunctionUrlEndpoint {
  return new FunctionUrlEndpoint({
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
