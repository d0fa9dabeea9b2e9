import { bufferedBytes, type ServiceRequest } from '../../core/index.js';
import type { CodecOptions } from '../codec.js';
import type { AwsError } from '../errors.js';
import type { ServiceModel } from '../model.js';

/** The body member that carries an error's message: as its shape names it, else as the error says, else "message". */
export function messageKeyOf(model: ServiceModel, error: AwsError): string {
  const shape = model.errorShape(error.type);
  if (shape) {
    const named = model.members(shape).find((m) => m.name.toLowerCase() === 'message');
    if (named) return named.name;
  }
  return error.messageKey ?? 'message';
}

/**
 * A request body already in memory (an in-process request), read as readWhole would read it but without waiting;
 * undefined when it has to be read (from a socket, or the service's own way).
 */
export function wholeBodyNow(request: ServiceRequest, options: CodecOptions, operation: string | undefined): Buffer | undefined {
  if (options.readBody) return undefined;
  const bytes = bufferedBytes(request.body);
  if (bytes === undefined) return undefined;
  const limit = options.bodyLimit(operation);
  if (bytes.length > limit) throw options.wording.tooLarge(operation, limit, request);
  return bytes;
}

/** Reads a request body whole, or fails with the service's "too large" error. */
export function readWhole(request: ServiceRequest, options: CodecOptions, operation: string | undefined): Promise<Buffer> {
  if (options.readBody) return options.readBody(request, operation);
  const limit = options.bodyLimit(operation);
  // Chained rather than awaited: one promise fewer on every request's path.
  return request.body.read(limit).then((body) => {
    if (body === undefined) throw options.wording.tooLarge(operation, limit, request);
    return body;
  });
}

/** The headers that name the request: the service's own, else x-amzn-RequestId. */
export function idHeaders(request: ServiceRequest, options: CodecOptions): Record<string, string> {
  return options.idHeaders?.(request) ?? { 'x-amzn-RequestId': request.requestId };
}

export function requestIdHeaders(request: ServiceRequest, contentType: string): Record<string, string> {
  return { 'content-type': contentType, 'x-amzn-RequestId': request.requestId };
}
