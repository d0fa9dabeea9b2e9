import type { ResponseBody, ServiceRequest, ServiceResponse } from '../../core/index.js';
import type { Codec, CodecOptions, Decoded, ReplyExtras } from '../codec.js';
import type { AwsError } from '../errors.js';
import type { Member, ProtocolName } from '../model.js';
import { QueryValueError } from '../query-values.js';
import { RestBindings, RestRouter } from '../rest.js';
import { XmlValues } from '../xml-values.js';
import { idHeaders, readWhole } from './common.js';

/**
 * What rest-json and rest-xml share: routing by the model's URIs (or the service's own router), members bound to
 * labels, query and headers, a payload member sent as the body itself (a blob, streamed when the model says so,
 * or one structure), and otherwise the remaining members as one document, whose format each subclass supplies.
 */
export abstract class RestCodec implements Codec {
  abstract readonly protocol: ProtocolName;
  protected readonly router: RestRouter;
  protected readonly xml: XmlValues;
  private readonly bindings: RestBindings;

  constructor(protected readonly options: CodecOptions) {
    this.router = new RestRouter(options.model);
    this.xml = new XmlValues(options.model);
    this.bindings = new RestBindings(options.model, this.xml);
  }

  /** Reads the document of a structure (the payload member's, or the input's body members). */
  protected abstract readDocument(operation: string, shape: string, body: Buffer, payload: Member | undefined): Record<string, unknown>;
  /** Writes a structure as the body document; `payload` names the member it is the value of. */
  protected abstract writeDocument(operation: string, shape: string, value: Record<string, unknown>, payload: Member | undefined): Buffer;
  protected abstract readonly documentType: string;
  abstract encodeError(error: AwsError, operation: string | undefined, request: ServiceRequest): ServiceResponse;

  async decode(request: ServiceRequest): Promise<Decoded> {
    const { operation, labels } = this.route(request);
    const shapeName = this.options.model.operation(operation)!.input?.shape;
    if (!shapeName) return { operation, input: {} };
    let input: Record<string, unknown>;
    try {
      input = this.bindings.read(shapeName, request, labels, this.options.opaque);
    } catch (error) {
      if (error instanceof QueryValueError) throw this.options.wording.badValue(error);
      throw error;
    }
    const { payload, body: bodyMembers } = this.bindings.of(shapeName);
    if (payload && (payload.shape.type === 'blob' || payload.shape.type === 'string')) {
      if (payload.ref.streaming || payload.shape.streaming) {
        input[payload.name] = request.body;
      } else {
        const body = await readWhole(request, this.options, operation);
        if (body.length > 0) input[payload.name] = payload.shape.type === 'string' ? body.toString('utf8') : body;
      }
      return { operation, input };
    }
    if (!payload && bodyMembers.length === 0) return { operation, input };
    const body = await readWhole(request, this.options, operation);
    if (body.length === 0) return { operation, input };
    const document = this.readDocument(operation, payload ? payload.shapeName : shapeName, body, payload);
    if (payload) input[payload.name] = document;
    else Object.assign(input, document);
    return { operation, input };
  }

  private route(request: ServiceRequest): { operation: string; labels: Record<string, string> } {
    const chosen = this.options.route?.(request);
    if (chosen !== undefined) {
      const operation = typeof chosen === 'string' ? chosen : chosen.operation;
      if (!this.options.model.operation(operation)) throw this.options.wording.unknownOperation(operation, request);
      return { operation, labels: typeof chosen === 'string' ? (this.router.labels(chosen, request.rawPath) ?? {}) : chosen.labels };
    }
    const match = this.router.match(request.method, request.rawPath, request.query);
    if (!match) throw this.options.wording.unknownOperation(undefined, request);
    return match;
  }

  encode(operation: string, output: Record<string, unknown> | undefined, request: ServiceRequest, extras?: ReplyExtras): ServiceResponse {
    const model = this.options.model.operation(operation)!;
    const shapeName = model.output?.shape;
    const value = output ?? {};
    const bound = shapeName ? this.bindings.write(shapeName, value) : { headers: {} };
    const status = extras?.status ?? bound.status ?? model.http.responseCode ?? 200;
    const headers: Record<string, string> = Object.assign(idHeaders(request, this.options), bound.headers);
    let body: ResponseBody | undefined = extras?.body;
    if (shapeName && body === undefined) {
      const { payload, body: bodyMembers } = this.bindings.of(shapeName);
      if (payload && (payload.shape.type === 'blob' || payload.shape.type === 'string')) {
        body = value[payload.name] as ResponseBody | undefined;
      } else if (payload) {
        const inner = value[payload.name] as Record<string, unknown> | undefined;
        if (inner !== undefined) body = this.writeDocument(operation, payload.shapeName, inner, payload);
      } else if (bodyMembers.length > 0) {
        body = this.writeDocument(operation, shapeName, value, undefined);
      }
      if (body !== undefined && !(payload?.shape.type === 'blob' || payload?.shape.type === 'string')) headers['content-type'] = this.documentType;
    }
    if (extras?.headers) Object.assign(headers, extras.headers);
    return { status, headers, body };
  }
}
