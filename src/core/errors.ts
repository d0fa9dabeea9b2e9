/**
 * Every failure Flint reports carries a stable code from this one list. Callers branch on `code`, never on
 * message text; each protocol (Lambda, S3, ...) maps codes to its own wire error in its own folder.
 */
export const ERROR_CODES = {
  // manifest and input
  MANIFEST_NOT_FOUND: 'No flint.yaml in the given folder',
  MANIFEST_INVALID: 'flint.yaml does not match the schema',
  INVALID_PARAMETER: 'A request parameter is missing or out of range',
  INVALID_REQUEST: 'The request is malformed',
  REQUEST_TOO_LARGE: 'The request payload exceeds the limit',
  // registry
  FUNCTION_NOT_FOUND: 'No such function, version or alias',
  FUNCTION_EXISTS: 'A function with this name already exists',
  ALIAS_EXISTS: 'An alias with this name already exists',
  PRECONDITION_FAILED: 'The revision id does not match',
  RESOURCE_CONFLICT: 'The resource is being changed by another request',
  CODE_INVALID: 'The code package cannot be read',
  BUNDLE_FAILED: 'The function code could not be bundled',
  RUNTIME_UNSUPPORTED: 'The runtime is not supported',
  ROUTE_CONFLICT: 'Two functions claim the same HTTP route',
  // invocation
  TOO_MANY_REQUESTS: 'Concurrency limit reached',
  INSTANCE_FAILED: 'The function instance failed',
  SHUTTING_DOWN: 'The node is shutting down',
  NODE_UNREACHABLE: 'No Flint node answers at the endpoint',
  // protocol
  NOT_FOUND: 'No such route or resource',
  METHOD_NOT_ALLOWED: 'Method not allowed',
  UNKNOWN_OPERATION: 'The operation is not supported',
  UNAUTHORIZED: 'The request signature is missing or invalid',
  FORBIDDEN: 'The node does not allow this operation here',
  // platform
  STORAGE_FAILED: 'The storage layer failed',
  INTERNAL: 'Internal error',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class FlintError extends Error {
  override readonly name = 'FlintError';
  readonly code: ErrorCode;
  /** Structured facts a renderer may need (field path, limit, resource name...). */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message?: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message ?? ERROR_CODES[code], options);
    this.code = code;
    this.details = details;
  }
}

export function isFlintError(error: unknown, code?: ErrorCode): error is FlintError {
  return error instanceof FlintError && (code === undefined || error.code === code);
}

/** Wraps anything thrown into a FlintError, keeping FlintErrors as they are. */
export function toFlintError(error: unknown): FlintError {
  if (error instanceof FlintError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new FlintError('INTERNAL', message, {}, { cause: error });
}
