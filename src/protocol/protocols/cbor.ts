import type { ServiceRequest, ServiceResponse } from '../../core/index.js';
import { CborError, decodeCbor, encodeCbor } from '../cbor.js';
import type { Codec, CodecOptions, Decoded, ReplyExtras } from '../codec.js';
import type { AwsError } from '../errors.js';
import { JsonValues, MismatchError } from '../json-values.js';
import { JsonCodec } from './json.js';
import { readWhole } from './common.js';

/**
 * Smithy's rpc-v2-cbor (CloudWatch, in current SDKs): `POST /service/<Service>/operation/<Operation>` with
 * `smithy-protocol: rpc-v2-cbor`, a CBOR map body (or none), CBOR answers. Blobs are byte strings and timestamps
 * tag-1 epoch seconds. Errors are the JSON protocols' document, in CBOR; a query-compatible service adds
 * `x-amzn-query-error`.
 */
export class CborCodec implements Codec {
  readonly protocol = 'smithy-rpc-v2-cbor' as const;
  private readonly values: JsonValues;
  private readonly json: JsonCodec;

  constructor(private readonly options: CodecOptions) {
    this.values = new JsonValues(options.model, { opaque: options.opaque, binary: true });
    this.json = new JsonCodec(options);
  }

  /** The operation named by the path, if it is this service's. */
  operationOf(request: ServiceRequest): string | undefined {
    const match = /^\/service\/([^/]+)\/operation\/([^/]+)$/.exec(request.rawPath);
    if (!match || match[1] !== this.options.model.metadata.targetPrefix) return undefined;
    return this.options.model.operation(match[2]!) ? match[2] : undefined;
  }

  async decode(request: ServiceRequest): Promise<Decoded> {
    const operation = this.operationOf(request);
    if (!operation) throw this.options.wording.unknownOperation(request.rawPath.split('/').at(-1), request);
    const body = await readWhole(request, this.options, operation);
    const shape = this.options.model.operation(operation)!.input?.shape;
    if (!shape || body.length === 0) return { operation, input: {} };
    let parsed: unknown;
    try {
      parsed = decodeCbor(body);
    } catch (error) {
      if (error instanceof CborError) throw this.options.wording.malformedBody(operation, error.message);
      throw error;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw this.options.wording.malformedBody(operation, 'the body is not a CBOR map');
    try {
      return { operation, input: (this.values.read(shape, parsed) ?? {}) as Record<string, unknown> };
    } catch (error) {
      if (error instanceof MismatchError) throw this.options.wording.typeMismatch(error.mismatch, this.options.model);
      throw error;
    }
  }

  encode(operation: string, output: Record<string, unknown> | undefined, request: ServiceRequest, extras?: ReplyExtras): ServiceResponse {
    const shape = this.options.model.operation(operation)?.output?.shape;
    const body = encodeCbor(shape && output ? this.values.write(shape, output) : {});
    return { status: extras?.status ?? 200, headers: { ...this.headers(request), ...extras?.headers }, body };
  }

  encodeError(error: AwsError, _operation: string | undefined, request: ServiceRequest): ServiceResponse {
    const headers: Record<string, string> = { ...this.headers(request), ...error.headers };
    if (this.options.model.metadata.awsQueryCompatible) headers['x-amzn-query-error'] = `${error.awsCode};${error.fault}`;
    return { status: error.status, headers, body: encodeCbor(this.json.errorDocument(error)) };
  }

  private headers(request: ServiceRequest): Record<string, string> {
    return { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor', 'x-amzn-RequestId': request.requestId };
  }
}
