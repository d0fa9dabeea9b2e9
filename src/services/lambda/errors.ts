import { isLambdaRuntime, type FlintError, type ServiceRequest } from '../../core/index.js';
import { AwsError, CORAL_VALIDATE, lowerCamel, modelledError, type AwsErrorInit, type ServiceModel, type TypeMismatch, type Wording } from '../../protocol/index.js';

/**
 * Lambda's errors as AwsErrors, rendered by the kit: x-amzn-ErrorType and a JSON body with the members the error
 * shape declares (ResourceNotFoundException and ServiceException say "Message", the others "message"; "Type" is
 * "User" or "Service"). ValidationException, RequestEntityTooLargeException and UnknownOperationException are not in
 * the model: AWS's front end sends them before an operation runs, with only a message. FlintErrors raised below the
 * API (the registry, the invoker, the event machinery) become Lambda's errors in `translate`.
 */

/** Modelled errors whose body says who is at fault in "Type": "User". */
const USER_ERRORS = [
  'InvalidParameterValueException',
  'ResourceNotFoundException',
  'ResourceConflictException',
  'PreconditionFailedException',
  'InvalidRequestContentException',
  'PolicyLengthExceededException',
] as const;
type UserError = (typeof USER_ERRORS)[number];
type ModelledType = UserError | 'TooManyRequestsException' | 'ServiceException';

/** The errors Lambda sends that its model does not declare, and why. */
export const FRAMEWORK_ERRORS = {
  ValidationException: "AWS's request validator answers a constraint violation before the operation runs; the model lists none",
  RequestEntityTooLargeException: "AWS's front end refuses a body over the operation's limit (and Lambda an Event payload or zip over its own) under this name, not the model's RequestTooLargeException",
  UnknownOperationException: 'AWS answers a path no operation takes (and Flint an operation it lacks) before any operation runs',
} as const;
type FrameworkType = keyof typeof FRAMEWORK_ERRORS;

/** Every error type the Lambda API sends. */
export const ERROR_TYPES: readonly string[] = [...USER_ERRORS, 'TooManyRequestsException', 'ServiceException', ...Object.keys(FRAMEWORK_ERRORS)];

/** Lambda answers throttled invokes with a hint to retry after a second. */
const RETRY_AFTER_SECONDS = '1';

export class LambdaErrors {
  /** Runtimes Lambda's model names that Lambda no longer accepts for new or updated functions. */
  private readonly retired: ReadonlySet<string>;

  constructor(private readonly model: ServiceModel) {
    this.retired = new Set((model.shape('Runtime').enum ?? []).filter((runtime) => !isLambdaRuntime(runtime)));
  }

  /**
   * Lambda's refusal of a deprecated runtime (LocalStack's recording of AWS, test_lambda_api.snapshot.json,
   * test_create_deprecated_function_runtime_with_validation_enabled); other unknown runtimes are the registry's to word.
   */
  checkRuntime(runtime: string | undefined): void {
    if (runtime === undefined || !this.retired.has(runtime)) return;
    throw this.invalidValue(
      `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.`,
    );
  }

  /** A modelled error with the status the model gives it. */
  private modelled(type: ModelledType, message: string, fields: Record<string, unknown>, headers?: Record<string, string>): AwsError {
    return modelledError(this.model, type, message, { fields, headers });
  }

  user(type: UserError, message: string): AwsError {
    return this.modelled(type, message, { Type: 'User' });
  }

  invalidValue(message: string): AwsError {
    return this.user('InvalidParameterValueException', message);
  }

  /** Something Lambda has that Flint does not (yet): refused loudly rather than silently ignored. */
  notSupported(what: string, hint?: string): AwsError {
    return this.invalidValue(`${what} is not supported by Flint yet${hint ? `; ${hint}` : ''}.`);
  }

  /** Issues already worded "Value ... at 'field' failed to satisfy constraint: ...". */
  validation(issues: readonly string[]): AwsError {
    const count = issues.length === 1 ? '1 validation error detected' : `${issues.length} validation errors detected`;
    return validationException(`${count}: ${issues.join('; ')}`);
  }

  enumViolation(field: string, value: string, allowed: readonly string[]): AwsError {
    return this.validation([`Value '${value}' at '${field}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`]);
  }

  /** A value of the wrong JSON type: "Value 'long' at 'timeout' ... Member must be of type number". */
  wrongType(path: string, value: unknown, type: string): AwsError {
    const shown = typeof value === 'string' ? value : JSON.stringify(value);
    return this.validation([`Value '${shown}' at '${path}' failed to satisfy constraint: Member must be of type ${type}`]);
  }

  tooLarge(message: string): AwsError {
    return framework('RequestEntityTooLargeException', message, { status: 413 });
  }

  unparsable(reason: string): AwsError {
    return this.user('InvalidRequestContentException', `Could not parse request body into json: ${reason}`);
  }

  /** Names the method and path (and the operation, when the model has it), so a caller sees what it sent. */
  unknownOperation(request: ServiceRequest | undefined, operation?: string): AwsError {
    const sent = request === undefined ? '' : `${request.method} ${request.rawPath}`;
    const what = operation === undefined ? sent : request === undefined ? operation : `${operation} (${sent})`;
    return framework('UnknownOperationException', `Flint does not support the Lambda operation ${what}`, { status: 404 });
  }

  /** Lambda's error for a FlintError raised below the API; undefined for failures it reports as ServiceException. */
  translate(error: FlintError): AwsError | undefined {
    const { message } = error;
    switch (error.code) {
      case 'FUNCTION_NOT_FOUND':
        return this.user('ResourceNotFoundException', message);
      case 'FUNCTION_EXISTS':
      case 'ALIAS_EXISTS':
      case 'RESOURCE_CONFLICT':
        return this.user('ResourceConflictException', message);
      case 'INVALID_PARAMETER':
        return error.details.kind === 'validation' ? validationException(message) : this.invalidValue(message);
      case 'CODE_INVALID':
      case 'RUNTIME_UNSUPPORTED':
      case 'BUNDLE_FAILED':
        return this.invalidValue(message);
      case 'PRECONDITION_FAILED':
        return this.user('PreconditionFailedException', message);
      case 'TOO_MANY_REQUESTS':
        return this.modelled('TooManyRequestsException', message, { Reason: reasonOf(error), Type: 'User' }, { 'Retry-After': RETRY_AFTER_SECONDS });
      case 'REQUEST_TOO_LARGE':
        return this.tooLarge(message);
      case 'INVALID_REQUEST':
        return this.user('InvalidRequestContentException', message);
      case 'NOT_FOUND':
        // A resource that is not there: an event source mapping, an invoke config, a stream.
        return this.user('ResourceNotFoundException', message);
      default:
        return undefined;
    }
  }

  /** What Lambda says when a request fails before an operation runs. */
  wording(): Partial<Wording> {
    return {
      unknownOperation: (_name, request) => this.unknownOperation(request),
      notImplemented: (operation, request) => this.unknownOperation(request, operation),
      malformedBody: (_operation, detail) => this.unparsable(detail),
      typeMismatch: (mismatch) => this.wrongType(pathOf(mismatch), mismatch.found, jsonType(mismatch.expected)),
      badValue: (error) => this.validation([`Value '${error.text}' at '${lowerCamel(error.path)}' failed to satisfy constraint: Member must be ${article(error.expected)}`]),
      // Lambda's messages name the invoke operation by its internal name.
      tooLarge: (operation, limit) => this.tooLarge(`Request must be smaller than ${limit} bytes for the ${operation === 'Invoke' ? 'InvokeFunction' : operation} operation`),
      validation: (message) => validationException(message),
      internal: (error) => this.modelled('ServiceException', error instanceof Error ? error.message : String(error), { Type: 'Service' }),
    };
  }
}

function validationException(message: string): AwsError {
  return framework('ValidationException', message, { namespace: CORAL_VALIDATE });
}

function framework(type: FrameworkType, message: string, init: AwsErrorInit): AwsError {
  return new AwsError(type, message, init);
}

function reasonOf(error: FlintError): string {
  const reason = error.details.reason;
  return typeof reason === 'string' ? reason : 'ConcurrentInvocationLimitExceeded';
}

function pathOf(mismatch: TypeMismatch): string {
  return mismatch.path.map((part) => (typeof part === 'string' ? lowerCamel(part) : String(part))).join('.');
}

function jsonType(expected: TypeMismatch['expected']): string {
  switch (expected) {
    case 'structure':
    case 'map':
      return 'object';
    case 'list':
      return 'array';
    case 'string':
    case 'blob':
      return 'string';
    case 'boolean':
      return 'boolean';
    default:
      return 'number';
  }
}

function article(expected: string): string {
  if (expected === 'integer') return 'an integer';
  return `a ${expected}`;
}
