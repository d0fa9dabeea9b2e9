import { lowerCamel, type ConstraintViolations, type MemberCheck } from '../../protocol/index.js';
import { TABLE_ARN } from './context.js';
import { validation } from './errors.js';

/**
 * What DynamoDB checks of a request that its model (botocore's) does not say, worded and placed as DynamoDB reports
 * it. The model has moved on from what DynamoDB's validator still reports: TableName is a TableArn (1 to 1024
 * characters, no pattern) where DynamoDB checks a table name, KeySchema has no upper bound, CreateTable no longer
 * requires AttributeDefinitions and KeySchema, and a few limits are only documented. Each check runs in its
 * member's place among the model's checks (ValidationQuirks.checks), so one request's violations are reported
 * together in DynamoDB's order. The wording is the one Flint's tests under test/services/dynamodb hold DynamoDB to.
 */

const NAME_PATTERN = /^[a-zA-Z0-9_.-]+$/;
const MAX_NAME = 255;
/** The model's longest TableArn: longer names are already reported by the model's check. */
const MAX_TABLE_ARN = 1024;
export const MAX_BATCH_GET_KEYS = 100;

/** A table (or index) name as DynamoDB checks it: its length, then the characters of a non-empty name. */
function checkName(violations: ConstraintViolations, name: string, path: string, min: number): void {
  if (name.length < min) violations.add(name, path, `Member must have length greater than or equal to ${min}`);
  if (name.length > MAX_NAME) violations.add(name, path, `Member must have length less than or equal to ${MAX_NAME}`);
  if (name.length > 0 && !NAME_PATTERN.test(name)) violations.add(name, path, 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+');
}

/** A TableName that may be the table's ARN (see context.ts tableNameOf): an ARN is checked as the model's TableArn. */
function checkNameOrArn(violations: ConstraintViolations, value: string, min: number): void {
  if (value.startsWith('arn:') && TABLE_ARN.test(value)) {
    if (value.length > MAX_TABLE_ARN) violations.add(value, 'tableName', `Member must have length less than or equal to ${MAX_TABLE_ARN}`);
  } else checkName(violations, value, 'tableName', min);
}

/** TableName of an item, query or TTL operation: a name of at least `min` characters or an ARN (the model's presence check stays). */
export function tableName(min: number): MemberCheck {
  return (value, violations, model) => {
    if (typeof value === 'string') checkNameOrArn(violations, value, min);
    else model();
  };
}

/** TableName of CreateTable: DynamoDB says it is missing before anything else, and a new table has a name, not an ARN. */
export const newTableName: MemberCheck = (value, violations) => {
  if (typeof value !== 'string') throw validation("The parameter 'TableName' is required but was not present in the request");
  checkName(violations, value, 'tableName', 3);
};

/** TableName of UpdateTable, DescribeTable and DeleteTable: as CreateTable's, or the table's ARN. */
export const requiredTableName: MemberCheck = (value, violations) => {
  if (typeof value !== 'string') throw validation("The parameter 'TableName' is required but was not present in the request");
  checkNameOrArn(violations, value, 3);
};

/** A member DynamoDB still requires where the model made it optional. */
export function stillRequired(path: string): MemberCheck {
  return (value, violations, model) => {
    if (value === undefined || value === null) violations.add(value, path, 'Member must not be null');
    else model();
  };
}

interface KeyElement {
  AttributeName?: string;
  KeyType?: string;
}

/** At most a hash and a range key, shown as DynamoDB's Java objects print. */
function checkKeyCount(violations: ConstraintViolations, keys: unknown, path: string): void {
  if (!Array.isArray(keys) || keys.length <= 2) return;
  const shown = (keys as (KeyElement | null)[]).map((k) => `KeySchemaElement(attributeName=${k?.AttributeName}, keyType=${k?.KeyType})`);
  violations.add(shown, path, 'Member must have length less than or equal to 2');
}

/** CreateTable's KeySchema: required, and two elements at most (then the model's checks of its elements). */
export const keySchema: MemberCheck = (value, violations, model) => {
  if (value === undefined || value === null) return violations.add(value, 'keySchema', 'Member must not be null');
  checkKeyCount(violations, value, 'keySchema');
  model();
};

/**
 * CreateTable's local secondary indexes: two key elements at most. Global ones (and UpdateTable's Create actions)
 * may have up to four HASH and four RANGE elements, which create-table.ts checks with the key schema.
 */
export function indexKeySchemas(field: string): MemberCheck {
  return (value, violations, model) => {
    if (Array.isArray(value)) {
      value.forEach((entry: { KeySchema?: unknown } | null, i) => {
        if (entry) checkKeyCount(violations, entry.KeySchema, `${field}.${i + 1}.member.keySchema`);
      });
    }
    model();
  };
}

/** AttributesToGet: at most 255 names (the model has only the lower bound). */
export const attributesToGet: MemberCheck = (value, violations, model) => {
  model();
  if (Array.isArray(value) && value.length > MAX_NAME) violations.add(value, 'attributesToGet', `Member must have length less than or equal to ${MAX_NAME}`);
};

/** A number the API reference bounds above where the model does not (Streams' Limit). */
export function atMost(path: string, max: number): MemberCheck {
  return (value, violations, model) => {
    model();
    if (typeof value === 'number' && value > max) violations.add(value, path, `Member must have value less than or equal to ${max}`);
  };
}

/**
 * BatchGetItem's RequestItems, as DynamoDB reports them: under "RequestItems.<table>.member.Keys" (not camel case),
 * table names of at least 3 characters, and the key list's length without the keys themselves. An empty map is
 * DynamoDB's own error, after the constraints (see batch.ts).
 */
export const batchGetRequestItems: MemberCheck = (value, violations) => {
  if (value === undefined || value === null) return violations.add(value, 'requestItems', 'Member must not be null');
  for (const [name, request] of Object.entries(value as Record<string, { Keys?: unknown[] } | null>)) {
    if (!TABLE_ARN.test(name)) checkName(violations, name, `RequestItems.${name}`, 3);
    const keys = request?.Keys;
    const at = `RequestItems.${name}.member.Keys`;
    if (keys === undefined || keys === null) violations.add(keys, at, 'Member must not be null');
    else if (keys.length < 1) violations.add(keys, at, 'Member must have length greater than or equal to 1', true);
    else if (keys.length > MAX_BATCH_GET_KEYS) violations.add(keys, at, `Member must have length less than or equal to ${MAX_BATCH_GET_KEYS}`, true);
  }
};

/** BatchWriteItem's RequestItems: an empty map is DynamoDB's own error (see batch.ts), not the model's length. */
export const batchWriteRequestItems: MemberCheck = (value, _violations, model) => {
  if (value !== null && typeof value === 'object' && Object.keys(value).length === 0) return;
  model();
};

type TransactAction = Record<string, { TableName?: unknown } | undefined>;

/** The table names inside transaction items, checked as names (the model's TableArn allows any 1 to 1024 characters). */
export const transactTableNames: MemberCheck = (value, violations, model) => {
  model();
  if (!Array.isArray(value)) return;
  value.forEach((item: TransactAction | null, i) => {
    for (const [kind, action] of Object.entries(item ?? {})) {
      const name = action?.TableName;
      // The model reports an empty name, and one longer than a TableArn may be.
      if (typeof name === 'string' && name.length <= MAX_TABLE_ARN && !TABLE_ARN.test(name)) checkName(violations, name, `transactItems.${i + 1}.member.${lowerCamel(kind)}.tableName`, 0);
    }
  });
};
