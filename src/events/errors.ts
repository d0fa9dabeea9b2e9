import { FlintError } from '../core/index.js';

/**
 * Failures of the event subsystems, worded as Lambda words them so its API can pass them through. `kind` on
 * INVALID_PARAMETER follows the registry's convention: 'validation' → ValidationException (a field outside its
 * declared constraint), 'value' → InvalidParameterValueException.
 */

export function invalidValue(message: string, details: Record<string, unknown> = {}): FlintError {
  return new FlintError('INVALID_PARAMETER', message, { kind: 'value', ...details });
}

/** "Value '0' at 'batchSize' failed to satisfy constraint: Member must have value greater than or equal to 1". */
export function constraintIssue(field: string, value: unknown, constraint: string): string {
  const shown = value === undefined ? 'null' : `'${typeof value === 'string' ? value : JSON.stringify(value)}'`;
  return `Value ${shown} at '${field}' failed to satisfy constraint: ${constraint}`;
}

export function validationFailed(issues: string[]): FlintError {
  const count = issues.length === 1 ? '1 validation error detected' : `${issues.length} validation errors detected`;
  return new FlintError('INVALID_PARAMETER', `${count}: ${issues.join('; ')}`, { kind: 'validation' });
}

/** A resource that is not there (a mapping, an invoke config); Lambda answers ResourceNotFoundException. */
export function resourceNotFound(message: string, resource: string): FlintError {
  return new FlintError('NOT_FOUND', message, { kind: 'resource', resource });
}

/** Something Lambda has that Flint does not (yet): refused loudly rather than silently ignored. */
export function notSupported(what: string): FlintError {
  return invalidValue(`${what} is not supported by Flint yet.`, { unsupported: true });
}

/** Collects range and enum problems so one answer names them all, as Lambda's validation does. */
export class Issues {
  private readonly found: string[] = [];

  range(field: string, value: number | undefined, min: number, max: number): this {
    if (value === undefined) return this;
    if (!Number.isInteger(value)) this.found.push(constraintIssue(field, value, 'Member must be an integer'));
    else if (value < min) this.found.push(constraintIssue(field, value, `Member must have value greater than or equal to ${min}`));
    else if (value > max) this.found.push(constraintIssue(field, value, `Member must have value less than or equal to ${max}`));
    return this;
  }

  oneOf(field: string, value: string | undefined, allowed: readonly string[]): this {
    if (value !== undefined && !allowed.includes(value)) {
      this.found.push(constraintIssue(field, value, `Member must satisfy enum value set: [${allowed.join(', ')}]`));
    }
    return this;
  }

  add(issue: string): this {
    this.found.push(issue);
    return this;
  }

  /** Throws ValidationException naming every problem found, if any. */
  done(): void {
    if (this.found.length > 0) throw validationFailed(this.found);
  }
}
