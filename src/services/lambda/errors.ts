import { FlintError, toFlintError, type BufferedResponse } from '../../core/index.js';

/**
 * Lambda's wire errors: status, `x-amzn-ErrorType`, and a JSON body whose fields differ per error type, as
 * Lambda's service model declares them (ResourceNotFoundException and ServiceException say "Message", the others
 * "message"; ValidationException and RequestEntityTooLargeException carry no "Type").
 */
interface WireError {
  status: number;
  type: string;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** Lambda answers throttled invokes with a hint to retry after a second. */
const RETRY_AFTER_SECONDS = '1';

export function errorResponse(error: unknown, requestId: string): BufferedResponse {
  const wire = toWireError(toFlintError(error));
  return {
    status: wire.status,
    headers: { 'content-type': 'application/json', 'x-amzn-RequestId': requestId, 'x-amzn-ErrorType': wire.type, ...wire.headers },
    body: JSON.stringify(wire.body),
  };
}

function toWireError(error: FlintError): WireError {
  const message = error.message;
  switch (error.code) {
    case 'FUNCTION_NOT_FOUND':
      return { status: 404, type: 'ResourceNotFoundException', body: { Type: 'User', Message: message } };
    case 'FUNCTION_EXISTS':
    case 'ALIAS_EXISTS':
    case 'RESOURCE_CONFLICT':
      return user(409, 'ResourceConflictException', message);
    case 'INVALID_PARAMETER':
      return error.details.kind === 'validation'
        ? { status: 400, type: 'ValidationException', body: { message } }
        : user(400, 'InvalidParameterValueException', message);
    case 'CODE_INVALID':
    case 'RUNTIME_UNSUPPORTED':
    case 'BUNDLE_FAILED':
      return user(400, 'InvalidParameterValueException', message);
    case 'PRECONDITION_FAILED':
      return user(412, 'PreconditionFailedException', message);
    case 'TOO_MANY_REQUESTS':
      return {
        status: 429,
        type: 'TooManyRequestsException',
        body: { Reason: reasonOf(error), Type: 'User', message },
        headers: { 'Retry-After': RETRY_AFTER_SECONDS },
      };
    case 'REQUEST_TOO_LARGE':
      return { status: 413, type: 'RequestEntityTooLargeException', body: { message } };
    case 'INVALID_REQUEST':
      return user(400, 'InvalidRequestContentException', message);
    case 'NOT_FOUND':
      // A resource that is not there (an event source mapping, an invoke config); otherwise an unknown route.
      if (error.details.kind === 'resource') return { status: 404, type: 'ResourceNotFoundException', body: { Type: 'User', Message: message } };
      return { status: 404, type: 'UnknownOperationException', body: { message } };
    case 'UNKNOWN_OPERATION':
    case 'METHOD_NOT_ALLOWED':
      return { status: 404, type: 'UnknownOperationException', body: { message } };
    default:
      return { status: 500, type: 'ServiceException', body: { Type: 'Service', Message: message } };
  }
}

function user(status: number, type: string, message: string): WireError {
  return { status, type, body: { Type: 'User', message } };
}

function reasonOf(error: FlintError): string {
  const reason = error.details.reason;
  return typeof reason === 'string' ? reason : 'ConcurrentInvocationLimitExceeded';
}

// ---- errors this service raises itself ------------------------------------------------------------------------

export function invalidValue(message: string, details: Record<string, unknown> = {}): FlintError {
  return new FlintError('INVALID_PARAMETER', message, { kind: 'value', ...details });
}

/** Lambda's ValidationException wording; `issues` are "Value ... at 'field' failed to satisfy constraint: ...". */
export function validationFailed(issues: string[]): FlintError {
  const count = issues.length === 1 ? '1 validation error detected' : `${issues.length} validation errors detected`;
  return new FlintError('INVALID_PARAMETER', `${count}: ${issues.join('; ')}`, { kind: 'validation' });
}

export function enumViolation(field: string, value: string, allowed: readonly string[]): FlintError {
  return validationFailed([`Value '${value}' at '${field}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`]);
}

export function requestTooLarge(message: string, details: Record<string, unknown> = {}): FlintError {
  return new FlintError('REQUEST_TOO_LARGE', message, details);
}

export function unparsableBody(reason: string): FlintError {
  return new FlintError('INVALID_REQUEST', `Could not parse request body into json: ${reason}`);
}

export function unknownOperation(method: string, rawPath: string): FlintError {
  return new FlintError('UNKNOWN_OPERATION', `Flint does not support the Lambda operation ${method} ${rawPath}`, { method, rawPath });
}

/** Something Lambda has that Flint does not (yet): refused loudly rather than silently ignored. */
export function notSupported(what: string, hint?: string): FlintError {
  return invalidValue(`${what} is not supported by Flint yet${hint ? `; ${hint}` : ''}.`, { unsupported: true });
}
