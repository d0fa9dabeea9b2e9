import { FlintError } from '../../core/index.js';

/** JSON as a pattern or an event holds it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** What a pattern compares: the leaf values of an event, once its objects and arrays are walked. */
export type Scalar = string | number | boolean | null;

/** One entry of a field's list in a pattern; the field matches when any of its entries does. */
export type Condition = { kind: 'exists'; present: boolean } | { kind: 'test'; test: (value: Scalar) => boolean };

/** A field of the pattern, named by its dotted path ("detail.state"), and the entries of its list. */
export interface FieldRule {
  path: string;
  conditions: readonly Condition[];
}

/**
 * Why a pattern is refused, in Event Ruler's words ("Empty arrays are not allowed"). EventBridge prefixes it with
 * "Event pattern is not valid. Reason: "; Lambda hides it behind "Invalid filter pattern definition.".
 */
export class PatternError extends FlintError {
  constructor(readonly reason: string) {
    super('INVALID_PARAMETER', reason, { reason });
  }
}

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
