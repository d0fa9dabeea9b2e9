import { FlintError, isFlintError, type ServiceRequest } from '../../core/index.js';
import type { ArnScope } from '../../functions/index.js';
import type { Handler, Handlers } from '../../protocol/index.js';
import type { Operations } from './api.js';
import type { LambdaContext } from './context.js';

/**
 * Lambda names ARNs in the region a request was signed for ("Function not found:
 * arn:aws:lambda:<region>:<account>:function:<name>"). Flint keeps one set of functions for every region, so
 * answers name the caller's region (from the SigV4 credential scope), and errors raised below the API, which name
 * the node's, are reworded on the way out. A full ARN for another region is refused, as Lambda refuses it.
 */

/** The region and account a caller's ARNs name: the signed region, or the node's for an unsigned request. */
export function callerScope(request: ServiceRequest, node: ArnScope): ArnScope {
  const region = request.credential?.region;
  return region === undefined || region === node.region ? node : { region, accountId: node.accountId };
}

/** Every handler, with errors that name the node's Lambda ARNs reworded for the caller's region. */
export function inCallerRegion(handlers: Handlers<Operations, LambdaContext>, node: ArnScope): Handlers<Operations, LambdaContext> {
  const wrapped: Record<string, Handler<unknown, unknown, LambdaContext>> = {};
  for (const [operation, handler] of Object.entries(handlers) as [string, Handler<unknown, unknown, LambdaContext>][]) {
    wrapped[operation] = async (input, ctx) => {
      refuseOtherRegion(input, ctx);
      try {
        return await handler(input, ctx);
      } catch (error) {
        throw rescoped(error, node, ctx.scope);
      }
    };
  }
  // The same operations with the same input and output types: only the error path changed.
  return wrapped as Handlers<Operations, LambdaContext>;
}

const ARN_REGION = /^arn:aws[a-zA-Z-]*:lambda:([^:]+):/;

/**
 * A full ARN names its region; Lambda refuses one that is not the caller's (LocalStack's recordings of AWS,
 * test_lambda_api.snapshot.json: test_get_function_wrong_region, test_function_arns function_arn_other_region_exc).
 */
function refuseOtherRegion(input: unknown, ctx: LambdaContext): void {
  const name = typeof input === 'object' && input !== null ? (input as { FunctionName?: unknown }).FunctionName : undefined;
  if (typeof name !== 'string') return;
  const region = ARN_REGION.exec(name)?.[1];
  if (region === undefined || region === ctx.scope.region) return;
  throw ctx.errors.user('ResourceNotFoundException', `Functions from '${region}' are not reachable in this region ('${ctx.scope.region}')`);
}

function rescoped(error: unknown, node: ArnScope, caller: ArnScope): unknown {
  if (caller === node || !isFlintError(error)) return error;
  const from = arnPrefix(node);
  if (!error.message.includes(from)) return error;
  const to = arnPrefix(caller);
  const resource = error.details.resource;
  const details = typeof resource === 'string' ? { ...error.details, resource: resource.replaceAll(from, to) } : error.details;
  return new FlintError(error.code, error.message.replaceAll(from, to), details, { cause: error });
}

function arnPrefix(scope: ArnScope): string {
  return `arn:aws:lambda:${scope.region}:${scope.accountId}:`;
}
