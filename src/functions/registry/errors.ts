import { FlintError } from '../../core/index.js';

/**
 * The registry's failures, worded as Lambda words them so the Lambda API can pass messages through. `kind` on
 * INVALID_PARAMETER tells the renderer which Lambda exception it was: 'validation' → ValidationException (a
 * field outside its declared constraint), 'value' → InvalidParameterValueException.
 */
export type InvalidKind = 'validation' | 'value';

export function invalid(message: string, kind: InvalidKind, details: Record<string, unknown> = {}): FlintError {
  return new FlintError('INVALID_PARAMETER', message, { kind, ...details });
}

/** Lambda's wording for a field that breaks its declared constraint. */
export function constraintViolation(field: string, value: unknown, constraint: string): FlintError {
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  return invalid(`1 validation error detected: Value '${shown}' at '${field}' failed to satisfy constraint: ${constraint}`, 'validation', {
    field,
  });
}

export function functionNotFound(resource: string): FlintError {
  return new FlintError('FUNCTION_NOT_FOUND', `Function not found: ${resource}`, { resource });
}

export function aliasNotFound(resource: string): FlintError {
  return new FlintError('FUNCTION_NOT_FOUND', `Cannot find alias arn: ${resource}`, { resource, kind: 'alias' });
}

export function functionExists(name: string, app?: string): FlintError {
  const owner = app ? ` (it belongs to app '${app}')` : '';
  return new FlintError('FUNCTION_EXISTS', `Function already exist: ${name}${owner}`, { name, app });
}

export function aliasExists(resource: string): FlintError {
  return new FlintError('ALIAS_EXISTS', `Alias already exists: ${resource}`, { resource });
}

export function revisionMismatch(resource: string): FlintError {
  return new FlintError(
    'PRECONDITION_FAILED',
    'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
    { resource },
  );
}

/** Another writer (another request, or another node) changed the record between our read and our write. */
export function concurrentUpdate(resource: string, cause?: unknown): FlintError {
  return new FlintError(
    'RESOURCE_CONFLICT',
    `The operation cannot be performed at this time. An update is in progress for resource: ${resource}`,
    { resource },
    { cause },
  );
}
