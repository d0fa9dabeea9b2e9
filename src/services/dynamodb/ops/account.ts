import type { DescribeEndpointsResponse, DescribeLimitsOutput } from '../api.js';
import type { OperationContext } from '../context.js';

/**
 * DescribeLimits and DescribeEndpoints: what an account may provision and where its endpoint is. Flint throttles
 * nothing, so the limits are AWS's defaults for a new account, as the API reference's example shows them
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeLimits.html).
 */

const DEFAULT_LIMITS: Required<DescribeLimitsOutput> = {
  AccountMaxReadCapacityUnits: 80000,
  AccountMaxWriteCapacityUnits: 80000,
  TableMaxReadCapacityUnits: 40000,
  TableMaxWriteCapacityUnits: 40000,
};

/** How long a client may cache the endpoint, as DynamoDB answers (one day). */
const ENDPOINT_CACHE_MINUTES = 1440;

export function describeLimits(): Promise<DescribeLimitsOutput> {
  return Promise.resolve({ ...DEFAULT_LIMITS });
}

/** The endpoint the client reached, so a client doing endpoint discovery stays on this node (AWS answers its regional host). */
export function describeEndpoints(_input: unknown, ctx: OperationContext): Promise<DescribeEndpointsResponse> {
  const address = ctx.host ?? `dynamodb.${ctx.scope.region}.amazonaws.com`;
  return Promise.resolve({ Endpoints: [{ Address: address, CachePeriodInMinutes: ENDPOINT_CACHE_MINUTES }] });
}
