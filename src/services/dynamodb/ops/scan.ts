import { z } from 'zod';
import type { OperationContext } from '../context.js';
import { validation } from '../errors.js';
import { bindExpressions, checkExpressionParams } from '../expressions/request.js';
import { attributesToGet, checkComparisonOperators, filterCondition } from '../legacy.js';
import { attributeMap, expressionFields, legacyConditions } from '../schemas.js';
import { CONDITIONAL_OPERATORS, Constraints, parseShape, RETURN_CONSUMED_CAPACITY, SELECT } from '../validate.js';
import { checkStartKey, chooseSelect, NO_LIMIT, PAGE_BYTES, pageResponse, planRead } from './read-plan.js';
import { storeCall } from './store-calls.js';

const scanInput = z.object({
  TableName: z.string().optional(),
  IndexName: z.string().optional(),
  Select: z.string().optional(),
  AttributesToGet: z.array(z.string()).optional(),
  Limit: z.number().optional(),
  ConsistentRead: z.boolean().optional(),
  ScanFilter: legacyConditions.optional(),
  ConditionalOperator: z.string().optional(),
  ExclusiveStartKey: attributeMap.optional(),
  ReturnConsumedCapacity: z.string().optional(),
  TotalSegments: z.number().optional(),
  Segment: z.number().optional(),
  ProjectionExpression: z.string().optional(),
  FilterExpression: z.string().optional(),
  ...expressionFields,
});

type ScanInput = z.output<typeof scanInput>;

function checkConstraints(input: ScanInput): void {
  const constraints = new Constraints()
    .oneOf(input.Select, 'select', SELECT)
    .tableName(input.IndexName, 'indexName', 3, true)
    .range(input.TotalSegments, 'totalSegments', 1, 1_000_000)
    .oneOf(input.ReturnConsumedCapacity, 'returnConsumedCapacity', RETURN_CONSUMED_CAPACITY);
  checkComparisonOperators(constraints, input.ScanFilter, 'scanFilter');
  constraints.tableName(input.TableName)
    .oneOf(input.ConditionalOperator, 'conditionalOperator', CONDITIONAL_OPERATORS)
    .range(input.Segment, 'segment', 0, 999_999)
    .range(input.Limit, 'limit', 1)
    .length(input.AttributesToGet, 'attributesToGet', 1, 255)
    .done();
}

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

export async function scan(raw: unknown, ctx: OperationContext): Promise<unknown> {
  const input = parseShape(scanInput, raw);
  checkConstraints(input);
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
