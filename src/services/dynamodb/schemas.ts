import { z } from 'zod';

/**
 * Shapes shared by the operations' request schemas. Attribute values are checked by values/attributes.ts, which
 * also normalises them, so here they are only "a JSON object", passed through as received: a record schema would
 * copy every item, and drop an attribute named "__proto__" on the way.
 */
export const attributeMap = z.custom<Record<string, unknown>>((value) => value !== null && typeof value === 'object' && !Array.isArray(value), {
  message: 'Unexpected field type',
});
export const attributeNames = z.record(z.string(), z.string());

/** A legacy Expected / QueryFilter / ScanFilter / KeyConditions entry. */
export const legacyCondition = z.object({
  Value: z.unknown().optional(),
  Exists: z.boolean().optional(),
  ComparisonOperator: z.string().optional(),
  AttributeValueList: z.array(z.unknown()).optional(),
});
export const legacyConditions = z.record(z.string(), legacyCondition);
export type LegacyConditions = z.output<typeof legacyConditions>;

export const expressionFields = {
  ExpressionAttributeNames: attributeNames.optional(),
  ExpressionAttributeValues: attributeMap.optional(),
};

export const keySchemaElement = z.object({ AttributeName: z.string().optional(), KeyType: z.string().optional() });
export const projection = z.object({ ProjectionType: z.string().optional(), NonKeyAttributes: z.array(z.string()).optional() });
export const throughput = z.object({ ReadCapacityUnits: z.number().optional(), WriteCapacityUnits: z.number().optional() });
export const streamSpecification = z.object({ StreamEnabled: z.boolean().optional(), StreamViewType: z.string().optional() });
export const tag = z.object({ Key: z.string().optional(), Value: z.string().optional() });
