import { FlintError, type ErrorCode } from '../core/index.js';
import type { ServiceModel } from './model.js';

/**
 * The one error contract of the AWS-compatible services. A wire error carries its type (the model's error shape,
 * or the framework exception AWS's servers raise before an operation runs), the code the query protocols send
 * (a query-compatible service keeps legacy codes such as "AWS.SimpleQueueService.NonExistentQueue"), the HTTP
 * status, who is at fault, the message and any other members the error shape declares. Each protocol renders it in
 * its own format (protocols/*.ts); handlers only throw it.
 */
export type Fault = 'Sender' | 'Receiver';

export interface AwsErrorInit {
  /** The code the query protocols send; the type when absent. */
  code?: string;
  status?: number;
  fault?: Fault;
  /** The Java namespace of a framework error ("com.amazon.coral.service"); modelled errors use the service's. */
  namespace?: string;
  /** Members of the error shape besides the message (CancellationReasons, Item, BucketName...). */
  fields?: Record<string, unknown>;
  /** Headers the error sends (Retry-After, x-amz-delete-marker...). */
  headers?: Record<string, string>;
  /** The body member holding the message where the model does not say ("Message" or "message"). */
  messageKey?: string;
  /** Flint's own code for callers inside Flint; derived from the status when absent. */
  flintCode?: ErrorCode;
  cause?: unknown;
}

export class AwsError extends FlintError {
  /** The error's type: its shape name in the model, or the framework exception's name. */
  readonly type: string;
  /** The code the query protocols (and x-amzn-query-error) send. */
  readonly awsCode: string;
  readonly status: number;
  readonly fault: Fault;
  readonly namespace: string | undefined;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly messageKey: string | undefined;

  constructor(type: string, message: string, init: AwsErrorInit = {}) {
    const status = init.status ?? 400;
    super(init.flintCode ?? flintCodeFor(status), message, { awsType: type }, init.cause === undefined ? undefined : { cause: init.cause });
    this.type = type;
    this.awsCode = init.code ?? type;
    this.status = status;
    this.fault = init.fault ?? (status >= 500 ? 'Receiver' : 'Sender');
    this.namespace = init.namespace;
    this.fields = init.fields ?? {};
    this.headers = init.headers ?? {};
    this.messageKey = init.messageKey;
  }
}

export function isAwsError(error: unknown): error is AwsError {
  return error instanceof AwsError;
}

/** Framework errors of AWS's Java servers, with the namespaces their `__type` carries. */
export const CORAL_SERVICE = 'com.amazon.coral.service';
export const CORAL_VALIDATE = 'com.amazon.coral.validate';

function flintCodeFor(status: number): ErrorCode {
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'RESOURCE_CONFLICT';
  if (status === 412 || status === 304) return 'PRECONDITION_FAILED';
  if (status === 413) return 'REQUEST_TOO_LARGE';
  if (status === 429) return 'TOO_MANY_REQUESTS';
  if (status === 501) return 'UNKNOWN_OPERATION';
  if (status >= 500) return 'INTERNAL';
  return 'INVALID_REQUEST';
}

/**
 * The modelled error `type` of a service, with the code, status and fault its model gives it. For code that throws
 * below the handlers (ARN checks, attribute validation) where no `AwsService` is at hand.
 */
export function modelledError(model: ServiceModel, type: string, message: string, init: Pick<AwsErrorInit, 'fields' | 'headers' | 'flintCode' | 'cause'> = {}): AwsError {
  const shape = model.hasShape(type) ? model.shape(type) : undefined;
  return new AwsError(type, message, {
    ...init,
    code: shape?.error?.code,
    status: shape?.error?.httpStatusCode,
    fault: shape?.error?.senderFault === false || shape?.fault ? 'Receiver' : undefined,
  });
}
