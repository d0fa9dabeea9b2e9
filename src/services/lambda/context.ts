import type { ServiceRequest } from '../../core/index.js';
import type { ArnScope, FunctionRegistry } from '../../functions/index.js';
import type { Handler } from '../../protocol/index.js';
import type { Operations } from './api.js';
import type { LambdaBackend } from './backend.js';
import type { LambdaErrors } from './errors.js';

/** What every operation handler gets besides its typed input: the node's parts and the call's request. */
export interface LambdaContext {
  backend: LambdaBackend;
  registry: FunctionRegistry;
  /** Region and account that ARNs name. */
  scope: ArnScope;
  /** The request id (an invocation's awsRequestId), base URL and path. */
  request: ServiceRequest;
  errors: LambdaErrors;
}

/** The handler of one of Lambda's operations. */
export type LambdaHandler<K extends keyof Operations> = Handler<Operations[K]['input'], Operations[K]['output'], LambdaContext>;
