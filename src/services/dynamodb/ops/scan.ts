import type { ScanInput, ScanOutput } from '../api.js';
import type { OperationContext } from '../context.js';
import { validation } from '../errors.js';
import { bindExpressions, checkExpressionParams } from '../expressions/request.js';
import { attributesToGet, filterCondition } from '../legacy.js';
import { checkStartKey, chooseSelect, NO_LIMIT, PAGE_BYTES, pageResponse, planRead } from './read-plan.js';
import { storeCall } from './store-calls.js';

function checkSegments(input: ScanInput): void {
  const { Segment: segment, TotalSegments: total } = input;
  if (segment !== undefined && total === undefined) {
    throw validation('The TotalSegments parameter is required but was not present in the request when Segment parameter is present');
  }
  if (total !== undefined && segment === undefined) {
    throw validation('The Segment parameter is required but was not present in the request when parameter TotalSegments is present');
  }
  if (segment !== undefined && total !== undefined && segment >= total) {
    throw validation(`The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${segment} is not less than TotalSegments: ${total}`);
  }
}

export async function scan(input: ScanInput, ctx: OperationContext): Promise<ScanOutput> {
  checkExpressionParams(input, ['ProjectionExpression', 'FilterExpression'], ['AttributesToGet', 'ScanFilter', 'ConditionalOperator']);
  const legacyProjection = attributesToGet(input.AttributesToGet);
  const legacyFilter = filterCondition(input.ScanFilter, input.ConditionalOperator);
  checkSegments(input);
  const bound = bindExpressions(input, ctx.expressions);
  const projection = bound.projection ?? legacyProjection;
  const select = chooseSelect(input.Select, projection, input.ProjectionExpression !== undefined, input.IndexName, false);

  const plan = await planRead(ctx, input, { select, projection, filter: bound.filter ?? legacyFilter });
  const { table, index } = plan;
  const start = checkStartKey(input.ExclusiveStartKey, table, index);
  const page = await storeCall(() =>
    ctx.tables.scan({
      table: table.name,
      index: index?.name,
      segment: input.Segment,
      totalSegments: input.TotalSegments,
      startAfter: start,
      limit: input.Limit ?? NO_LIMIT,
      maxBytes: PAGE_BYTES,
    }),
  );
  return pageResponse(plan, page);
}
