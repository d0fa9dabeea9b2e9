import type { ServiceRequest, ServiceResponse } from '../../core/index.js';
import type { Codec, CodecOptions, Decoded, ReplyExtras } from '../codec.js';
import type { AwsError } from '../errors.js';
import { JsonValues, MismatchError } from '../json-values.js';
import { messageKeyOf, readWhole, requestIdHeaders, wholeBodyNow } from './common.js';

/**
 * awsJson 1.0 and 1.1 (DynamoDB, SQS, EventBridge, CloudWatch Logs...): `POST /`, the operation in
 * `X-Amz-Target: <targetPrefix>.<Operation>`, a JSON object body, JSON answers. Errors are
 * `{"__type": "<namespace>#<Type>", "message": ...}`; a query-compatible service (awsQueryCompatible: SQS) also
 * sends its legacy code in `x-amzn-query-error: <Code>;<Sender|Receiver>`.
 */
export class JsonCodec implements Codec {
  readonly protocol = 'json' as const;
  private readonly values: JsonValues;
  private readonly contentType: string;
  private readonly prefix: string;

  constructor(private readonly options: CodecOptions) {
    this.values = new JsonValues(options.model, { opaque: options.opaque });
    const { metadata } = options.model;
    this.contentType = `application/x-amz-json-${metadata.jsonVersion ?? '1.0'}`;
    this.prefix = `${metadata.targetPrefix ?? ''}.`;
  }

  /** The operation named by X-Amz-Target, if it is one of this model's. */
  operationOf(request: ServiceRequest): string | undefined {
    const target = request.headers['x-amz-target'];
    if (typeof target !== 'string' || !target.startsWith(this.prefix)) return undefined;
    const name = target.slice(this.prefix.length);
    return this.options.model.operation(name) ? name : undefined;
  }

  decode(request: ServiceRequest): Decoded | Promise<Decoded> {
    const operation = this.operationOf(request);
    if (!operation) {
      const target = request.headers['x-amz-target'];
      throw this.options.wording.unknownOperation(typeof target === 'string' ? target : undefined, request);
    }
    const shape = this.options.model.operation(operation)!.input?.shape;
    // A body in memory is read at once: no promise and no turn of the event loop on an in-process call.
    const now = wholeBodyNow(request, this.options, operation);
    if (now !== undefined) return { operation, input: shape ? this.readBody(operation, shape, now) : {} };
    return readWhole(request, this.options, operation).then((body) => ({ operation, input: shape ? this.readBody(operation, shape, body) : {} }));
  }

  /** Parses and reads a JSON object body into the input shape (shared with rest-json). */
  readBody(operation: string, shape: string, body: Buffer): Record<string, unknown> {
    if (body.length === 0) return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch (error) {
      throw this.options.wording.malformedBody(operation, (error as Error).message);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw this.options.wording.malformedBody(operation, 'the body is not a JSON object');
    try {
      return (this.values.read(shape, parsed) ?? {}) as Record<string, unknown>;
    } catch (error) {
      if (error instanceof MismatchError) throw this.options.wording.typeMismatch(error.mismatch, this.options.model);
      throw error;
    }
  }

  /** Writes an output structure as a JSON object (shared with rest-json). */
  writeBody(shape: string | undefined, output: Record<string, unknown> | undefined): Buffer {
    const written = shape && output ? this.values.write(shape, output) : {};
    return Buffer.from(JSON.stringify(written ?? {}), 'utf8');
  }

  encode(operation: string, output: Record<string, unknown> | undefined, request: ServiceRequest, extras?: ReplyExtras): ServiceResponse {
    const headers = requestIdHeaders(request, this.contentType);
    // A body the output shape cannot describe (an event stream) is sent as the handler gave it.
    if (extras?.body !== undefined) return { status: extras.status ?? 200, headers: { ...headers, ...extras.headers }, body: extras.body };
    const body = this.writeBody(this.options.model.operation(operation)?.output?.shape, output);
    this.options.responseHeaders?.(body, headers);
    if (extras?.headers) Object.assign(headers, extras.headers);
    return { status: extras?.status ?? 200, headers, body };
  }

  encodeError(error: AwsError, _operation: string | undefined, request: ServiceRequest): ServiceResponse {
    const headers: Record<string, string> = { ...requestIdHeaders(request, this.contentType), ...error.headers };
    if (this.options.model.metadata.awsQueryCompatible) headers['x-amzn-query-error'] = `${error.awsCode};${error.fault}`;
    return { status: error.status, headers, body: JSON.stringify(this.errorDocument(error)) };
  }

  /** `{"__type", ...fields, "message"}` (shared with CBOR, which writes the same document). */
  errorDocument(error: AwsError): Record<string, unknown> {
    const namespace = error.namespace ?? this.options.errorNamespace;
    const document: Record<string, unknown> = { __type: namespace ? `${namespace}#${error.type}` : error.type };
    const shape = this.options.model.errorShape(error.type);
    const fields = shape ? ((this.values.write(shape, error.fields) ?? {}) as Record<string, unknown>) : error.fields;
    Object.assign(document, fields);
    document[messageKeyOf(this.options.model, error)] = error.message;
    return document;
  }
}
