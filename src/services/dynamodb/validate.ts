import type { z } from 'zod';
import { conversionMessage, serialization, validation } from './errors.js';

/**
 * Request validation in DynamoDB's two stages: the shape (JSON types, checked with zod; a wrong type is a
 * SerializationException as DynamoDB's deserializer reports it), then member constraints, all collected and
 * reported together as "N validation errors detected: ...".
 */

export function parseShape<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw serialization(describeIssue(issue, valueAt(input, issue.path)));
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.code === 'custom') return Array.isArray(value) ? 'Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>' : issue.message;
  if (issue.code !== 'invalid_type') return 'Unexpected value type in payload';
  const expected = issue.expected;
  if (expected === 'string') return conversionMessage(value, 'String');
  if (expected === 'number' || expected === 'int') return conversionMessage(value, 'Integer');
  if (expected === 'boolean') return conversionMessage(value, 'Boolean');
  if (expected === 'array') return value !== null && typeof value === 'object' ? 'Start of structure or map found where not expected' : 'Unexpected field type';
  if (Array.isArray(value)) return 'Unrecognized collection type class com.amazonaws.dynamodb.v20120810.Structure';
  return 'Unexpected field type';
}

const TABLE_NAME = /^[a-zA-Z0-9_.-]+$/;
/** DynamoDB reports at most this many constraint violations in one message. */
const MAX_REPORTED = 10;

/** Collects constraint violations in field order and throws them together. */
export class Constraints {
  private readonly errors: string[] = [];

  /** `shown` false leaves the value out of the message, as DynamoDB does for some members. */
  check(ok: boolean, value: unknown, field: string, constraint: string, shown = true): this {
    if (!ok && this.errors.length < MAX_REPORTED) {
      const rendered = !shown ? '' : value === undefined || value === null ? ' null' : ` '${render(value)}'`;
      this.errors.push(`Value${rendered} at '${field}' failed to satisfy constraint: ${constraint}`);
    }
    return this;
  }

  notNull(value: unknown, field: string): this {
    return this.check(value !== undefined && value !== null, value, field, 'Member must not be null');
  }

  /** A table (or index) name; `optional` names may be absent. */
  tableName(value: string | undefined, field = 'tableName', min = 1, optional = false): this {
    if (value === undefined) return optional ? this : this.notNull(value, field);
    this.length(value, field, min, 255);
    if (value.length > 0) this.check(TABLE_NAME.test(value), value, field, 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+');
    return this;
  }

  length(value: string | unknown[] | Record<string, unknown> | undefined, field: string, min?: number, max?: number): this {
    if (value === undefined) return this;
    const length = typeof value === 'string' || Array.isArray(value) ? value.length : Object.keys(value).length;
    if (min !== undefined) this.check(length >= min, value, field, `Member must have length greater than or equal to ${min}`);
    if (max !== undefined) this.check(length <= max, value, field, `Member must have length less than or equal to ${max}`);
    return this;
  }

  range(value: number | undefined, field: string, min?: number, max?: number, shown = true): this {
    if (value === undefined) return this;
    if (min !== undefined) this.check(value >= min, value, field, `Member must have value greater than or equal to ${min}`, shown);
    if (max !== undefined) this.check(value <= max, value, field, `Member must have value less than or equal to ${max}`, shown);
    return this;
  }

  oneOf(value: string | undefined, field: string, allowed: readonly string[]): this {
    if (value === undefined) return this;
    return this.check(allowed.includes(value), value, field, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
  }

  done(): void {
    if (this.errors.length === 0) return;
    const count = this.errors.length;
    throw validation(`${count} validation error${count > 1 ? 's' : ''} detected: ${this.errors.join('; ')}`);
  }
}

function render(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(render).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${k}=${render(v)}`).join(', ')}}`;
  }
  return String(value);
}

export const RETURN_CONSUMED_CAPACITY = ['INDEXES', 'TOTAL', 'NONE'] as const;
export const RETURN_ITEM_COLLECTION_METRICS = ['SIZE', 'NONE'] as const;
export const RETURN_VALUES = ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'] as const;
export const RETURN_VALUES_ON_FAILURE = ['ALL_OLD', 'NONE'] as const;
export const SELECT = ['SPECIFIC_ATTRIBUTES', 'COUNT', 'ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES'] as const;
export const CONDITIONAL_OPERATORS = ['OR', 'AND'] as const;
