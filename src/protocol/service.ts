import { isFlintError, silentLogger, type FlintError, type Logger, type Service, type ServiceRequest, type ServiceResponse } from '../core/index.js';
import type { Codec, CodecOptions, ReplyExtras, RouteChoice, Wording, XmlOptions } from './codec.js';
import { AwsError, modelledError } from './errors.js';
import type { ProtocolName, ServiceModel } from './model.js';
import { CborCodec } from './protocols/cbor.js';
import { JsonCodec } from './protocols/json.js';
import { QueryCodec } from './protocols/query.js';
import { RestJsonCodec } from './protocols/rest-json.js';
import { RestXmlCodec } from './protocols/rest-xml.js';
import { PatternCache, Validator, type ValidationQuirks, type ValidationStyle } from './validate.js';
import { defaultWording } from './wording.js';

/**
 * A service generated from its model: given the model and one handler per operation, it reads each request in
 * whichever of the model's protocols the client speaks into a typed input, checks it against the model's
 * constraints, calls the handler, and writes the output or the error back in that protocol. Handlers see typed
 * values and throw AwsErrors; none of them touches the wire. A service declares only what the model cannot say.
 */

/** An operation's output with status or headers its shape does not bind (S3's 206 for a range). */
export class Reply<O> {
  constructor(
    readonly output: O,
    readonly extras: ReplyExtras,
  ) {}
}

export function reply<O>(output: O, extras: ReplyExtras): Reply<O> {
  return new Reply(output, extras);
}

/** What a handler learns of the call besides its input. */
export interface CallInfo {
  operation: string;
  protocol: ProtocolName;
  request: ServiceRequest;
}

// The output may be a plain object (most handlers build it as such) or nothing (operations without output).
export type Handler<I, O, C> = (input: I, ctx: C) => Promise<O | Reply<O> | undefined | void>;

/** The generated `Operations` interface of a model: each operation's input and output shapes. */
type OperationTable<Ops> = { [K in keyof Ops]: { input: unknown; output: unknown } };

export type Handlers<Ops extends OperationTable<Ops>, C> = { [K in keyof Ops]?: Handler<Ops[K]['input'], Ops[K]['output'], C> };

export interface OperationQuirks {
  validation?: ValidationQuirks;
}

export interface ServiceDefinition<Ops extends OperationTable<Ops>, C> {
  /** For logs: "dynamodb", "s3". */
  name: string;
  model: ServiceModel;
  handlers: Handlers<Ops, C>;
  /** The handlers' context for one call. */
  context(call: CallInfo): C;
  /** Shapes handed to handlers as parsed (and written as given), which the service checks itself. */
  opaque?: readonly string[];
  /** The model's constraints are checked before handlers run unless false (S3 checks its own way). */
  validation?: false | ValidationStyle;
  quirks?: { [K in keyof Ops]?: OperationQuirks };
  /** The largest request body (per operation, or for any operation when it is not known yet). */
  bodyLimit?: number | ((operation: string | undefined) => number);
  wording?: Partial<Wording>;
  /** Java namespace of modelled errors in JSON `__type` ("com.amazonaws.dynamodb.v20120810"). */
  errorNamespace?: string;
  /** Picks the operation of a REST request where the model's routes are ambiguous (S3), with labels it found. */
  route?(request: ServiceRequest): RouteChoice | undefined;
  /** Reads whole request bodies the service's way (S3 decodes aws-chunked framing and checks digests first). */
  readBody?(request: ServiceRequest, operation: string | undefined): Promise<Buffer>;
  /** Headers naming the request on every answer, in place of x-amzn-RequestId (REST protocols). */
  idHeaders?(request: ServiceRequest): Record<string, string>;
  /** Adds headers to every answer, given its body (DynamoDB's CRC32): written into `headers`, no object per answer. */
  responseHeaders?(body: Buffer, headers: Record<string, string>): void;
  xml?: XmlOptions;
  /** The service's error for a FlintError raised below it (a missing function, a storage failure). */
  translate?(error: FlintError, operation: string | undefined): AwsError | undefined;
  logger?: Logger;
}

const DEFAULT_BODY_LIMIT = 16 * 1024 * 1024;

/** What handling an operation needs beyond its input, looked up once per operation rather than on every call. */
interface OperationEntry<C> {
  handler: Handler<unknown, unknown, C> | undefined;
  inputShape: string | undefined;
  quirks: ValidationQuirks | undefined;
}

export class AwsService<Ops extends OperationTable<Ops>, C> implements Service {
  private readonly codecs = new Map<ProtocolName, Codec>();
  private readonly protocols: readonly ProtocolName[];
  private readonly validator: Validator | undefined;
  private readonly logger: Logger;
  private readonly entries = new Map<string, OperationEntry<C>>();

  constructor(private readonly definition: ServiceDefinition<Ops, C>) {
    const { model } = definition;
    this.protocols = model.metadata.protocols ?? [model.metadata.protocol];
    const opaque = new Set(definition.opaque ?? []);
    this.validator = definition.validation === false ? undefined : new Validator(model, new PatternCache(), opaque, definition.validation);
    this.logger = definition.logger ?? silentLogger;
  }

  get model(): ServiceModel {
    return this.definition.model;
  }

  /** The modelled error `type` with the code, status and fault the model gives it. */
  error(type: string, message: string, fields?: Record<string, unknown>, headers?: Record<string, string>): AwsError {
    return modelledError(this.definition.model, type, message, { fields, headers });
  }

  async handle(request: ServiceRequest): Promise<ServiceResponse> {
    const codec = this.codecFor(request);
    let operation: string | undefined;
    try {
      // The gateway refused the signature: answer as this service words it, in the protocol the client speaks.
      if (request.refusal) throw request.refusal;
      const pending = codec.decode(request);
      // Awaited only when it is a promise: awaiting a value costs a turn of the microtask queue on every call.
      const decoded = pending instanceof Promise ? await pending : pending;
      operation = decoded.operation;
      const entry = this.entryOf(operation);
      const handler = entry.handler;
      if (!handler) throw this.wording(codec.protocol).notImplemented(operation, request);
      if (request.authorize) await request.authorize(operation, decoded.input);
      this.validate(codec.protocol, entry, decoded.input);
      const result = await handler(decoded.input, this.definition.context({ operation, protocol: codec.protocol, request }));
      if (result instanceof Reply) return codec.encode(operation, result.output as Record<string, unknown>, request, result.extras);
      return codec.encode(operation, (result ?? undefined) as Record<string, unknown> | undefined, request);
    } catch (error) {
      return codec.encodeError(this.toAwsError(error, codec.protocol, operation), operation, request);
    }
  }

  private entryOf(operation: string): OperationEntry<C> {
    let entry = this.entries.get(operation);
    if (!entry) {
      const { definition } = this;
      entry = {
        handler: definition.handlers[operation as keyof Ops] as Handler<unknown, unknown, C> | undefined,
        inputShape: definition.model.operation(operation)?.input?.shape,
        quirks: definition.quirks?.[operation as keyof Ops]?.validation,
      };
      this.entries.set(operation, entry);
    }
    return entry;
  }

  private validate(protocol: ProtocolName, entry: OperationEntry<C>, input: Record<string, unknown>): void {
    if (!this.validator || !entry.inputShape) return;
    const message = this.validator.check(entry.inputShape, input, entry.quirks);
    if (message) throw this.wording(protocol).validation(message);
  }

  private toAwsError(error: unknown, protocol: ProtocolName, operation: string | undefined): AwsError {
    if (error instanceof AwsError) return error;
    if (isFlintError(error)) {
      const translated = this.definition.translate?.(error, operation);
      if (translated) return translated;
    }
    this.logger.error(`${this.definition.name} request failed`, { operation, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    return this.wording(protocol).internal(error);
  }

  private codecFor(request: ServiceRequest): Codec {
    const protocol = this.protocolOf(request);
    let codec = this.codecs.get(protocol);
    if (!codec) {
      codec = this.createCodec(protocol);
      this.codecs.set(protocol, codec);
    }
    return codec;
  }

  /** Which of the service's protocols the request speaks. */
  private protocolOf(request: ServiceRequest): ProtocolName {
    if (this.protocols.length === 1) return this.protocols[0]!;
    const has = (p: ProtocolName): boolean => this.protocols.includes(p);
    if (has('smithy-rpc-v2-cbor') && request.headers['smithy-protocol'] === 'rpc-v2-cbor') return 'smithy-rpc-v2-cbor';
    const contentType = String(request.headers['content-type'] ?? '');
    if (has('json') && (request.headers['x-amz-target'] !== undefined || contentType.includes('x-amz-json'))) return 'json';
    if (has('query')) return 'query';
    return this.protocols[0]!;
  }

  private createCodec(protocol: ProtocolName): Codec {
    const { definition } = this;
    const limit = definition.bodyLimit ?? DEFAULT_BODY_LIMIT;
    const options: CodecOptions = {
      model: definition.model,
      wording: this.wording(protocol),
      opaque: new Set(definition.opaque ?? []),
      bodyLimit: typeof limit === 'number' ? () => limit : limit,
      errorNamespace: definition.errorNamespace,
      route: definition.route,
      readBody: definition.readBody,
      idHeaders: definition.idHeaders,
      responseHeaders: definition.responseHeaders,
      xml: definition.xml,
    };
    switch (protocol) {
      case 'json':
        return new JsonCodec(options);
      case 'rest-json':
        return new RestJsonCodec(options);
      case 'rest-xml':
        return new RestXmlCodec(options);
      case 'query':
        return new QueryCodec(options, 'query');
      case 'ec2':
        return new QueryCodec(options, 'ec2');
      case 'smithy-rpc-v2-cbor':
        return new CborCodec(options);
    }
  }

  private wording(protocol: ProtocolName): Wording {
    return { ...defaultWording(protocol, this.definition.errorNamespace ?? `com.amazonaws.${this.definition.model.metadata.endpointPrefix}`), ...this.definition.wording };
  }
}

/** Builds a service from its model and handlers. */
export function defineService<Ops extends OperationTable<Ops>, C>(definition: ServiceDefinition<Ops, C>): AwsService<Ops, C> {
  return new AwsService(definition);
}
