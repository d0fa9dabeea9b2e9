/**
 * Lambda's event filtering for event source mappings
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html): FilterCriteria.Filters[].Pattern
 * in EventBridge's pattern language (patterns/), up to five filters, a record passing when any filter matches it.
 * An SQS record is matched with its `body` parsed when the body is JSON, so `{"body": {"kind": ["a"]}}` reads into a
 * JSON message and `{"body": ["text"]}` matches a plain one; a stream record is matched on its fields
 * (`dynamodb.NewImage...`, `eventName`). Lambda refuses any invalid pattern with one message
 * (LocalStack's test_lambda_integration_sqs.snapshot.json, test_sqs_invalid_event_filter).
 */
import { invalidValue } from './errors.js';
import { compileEventPattern, type EventPattern } from './patterns/index.js';

const MAX_FILTERS = 5;
const INVALID = 'Invalid filter pattern definition.';

export interface FilterCriteria {
  Filters?: { Pattern?: string }[];
}

/** The patterns of FilterCriteria, checked as Lambda checks them; an empty list means no filtering. */
export function filterPatterns(criteria: unknown): string[] {
  if (typeof criteria !== 'object' || criteria === null) throw invalidValue(INVALID);
  const filters = (criteria as FilterCriteria).Filters ?? [];
  if (!Array.isArray(filters)) throw invalidValue(INVALID);
  if (filters.length > MAX_FILTERS) throw invalidValue(`The maximum number of filters has been exceeded. Maximum: ${MAX_FILTERS}, provided: ${filters.length}.`);
  return filters.map((filter) => {
    const pattern = filter?.Pattern;
    if (typeof pattern !== 'string') throw invalidValue(INVALID);
    try {
      compileEventPattern(pattern);
    } catch {
      throw invalidValue(INVALID);
    }
    return pattern;
  });
}

/** A mapping's filters, compiled once for its poller. */
export class RecordFilter {
  private readonly patterns: EventPattern[];

  constructor(patterns: readonly string[] | undefined) {
    this.patterns = (patterns ?? []).map((text) => compileEventPattern(text));
  }

  get active(): boolean {
    return this.patterns.length > 0;
  }

  /** Whether a record (as the function would get it) passes; everything passes when there are no filters. */
  passes(record: Record<string, unknown>): boolean {
    return !this.active || this.patterns.some((pattern) => pattern.matches(record));
  }

  /** An SQS record passes with its body read as JSON where it is JSON. */
  passesQueueRecord(record: Record<string, unknown>): boolean {
    if (!this.active) return true;
    return this.passes({ ...record, body: parsedBody(record.body) });
  }
}

function parsedBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}
