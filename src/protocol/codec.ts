import type { ResponseBody, ServiceRequest, ServiceResponse } from '../core/index.js';
import type { AwsError } from './errors.js';
import type { TypeMismatch } from './json-values.js';
import type { ProtocolName, ServiceModel } from './model.js';
import type { QueryValueError } from './query-values.js';

/**
 * What every protocol implementation does: find the operation a request calls and read its input by the model
 * (decode), and write an output or an error as that protocol does (encode). Protocol-level failures (an unknown
 * operation, a body that does not parse, a value of the wrong type) are worded by the service: AWS's services
 * differ in what they say, not in when they say it.
 */
export interface Decoded {
  operation: string;
  input: Record<string, unknown>;
}

/** Status and headers an operation sets beyond what its output shape binds (S3's 206 for a range). */
export interface ReplyExtras {
  status?: number;
  headers?: Record<string, string>;
  /** A body the output shape cannot describe, sent as given (S3's GetBucketLocation: a bare `<LocationConstraint>`). */
  body?: ResponseBody;
}

/** The operation a service's own router picked, with the URI labels it found (S3 reads the bucket from the Host). */
export type RouteChoice = string | { operation: string; labels: Record<string, string> };

export interface Codec {
  readonly protocol: ProtocolName;
  /** Decodes at once where it can (a body already in memory), else when the body has arrived. */
  decode(request: ServiceRequest): Decoded | Promise<Decoded>;
  encode(operation: string, output: Record<string, unknown> | undefined, request: ServiceRequest, extras?: ReplyExtras): ServiceResponse;
  encodeError(error: AwsError, operation: string | undefined, request: ServiceRequest): ServiceResponse;
}

/** How a service words the failures that happen before its operations run. */
export interface Wording {
  /** No operation matches (an unknown X-Amz-Target or Action, a path no route takes). */
  unknownOperation(name: string | undefined, request: ServiceRequest): AwsError;
  /** The model has the operation and the service does not implement it (the request, for services that name it). */
  notImplemented(operation: string, request?: ServiceRequest): AwsError;
  /** The body is not a JSON object, XML document or CBOR map. */
  malformedBody(operation: string | undefined, detail: string): AwsError;
  /** A JSON or CBOR value of the wrong type. */
  typeMismatch(mismatch: TypeMismatch, model: ServiceModel): AwsError;
  /** A query parameter, header or XML value that is not of its member's type. */
  badValue(error: QueryValueError): AwsError;
  /** The body is larger than the operation accepts. */
  tooLarge(operation: string | undefined, limit: number, request: ServiceRequest): AwsError;
  /** Constraint violations, already worded ("1 validation error detected: ..."). */
  validation(message: string): AwsError;
  /** Anything unexpected. */
  internal(error: unknown): AwsError;
}

export interface CodecOptions {
  model: ServiceModel;
  wording: Wording;
  opaque: ReadonlySet<string>;
  /** The largest body an operation (or, before the operation is known, any operation) accepts. */
  bodyLimit(operation: string | undefined): number;
  /** Java namespace modelled errors carry in JSON `__type` ("com.amazonaws.dynamodb.v20120810"); none: the bare type. */
  errorNamespace?: string;
  /** Picks the operation where the model's routes cannot (S3's one path for PutObject, CopyObject, UploadPart). */
  route?(request: ServiceRequest): RouteChoice | undefined;
  /** Reads a whole request body the service's way (S3: aws-chunked framing, Content-MD5 and checksums verified). */
  readBody?(request: ServiceRequest, operation: string | undefined): Promise<Buffer>;
  /** Headers naming the request on every answer, in place of x-amzn-RequestId (S3: x-amz-request-id, x-amz-id-2). */
  idHeaders?(request: ServiceRequest): Record<string, string>;
  /** Adds headers to every response (DynamoDB's body CRC32), written into `headers`. */
  responseHeaders?(body: Buffer, headers: Record<string, string>): void;
  xml?: XmlOptions;
}

/** What the XML protocols need that botocore's models leave out. */
export interface XmlOptions {
  /** The namespace of response documents when the model's metadata has none (S3). */
  namespace?: string;
  /** The root element of an operation's response document (S3: ListObjectsV2 → ListBucketResult). */
  root?(operation: string): string | undefined;
  /** S3 answers errors as a bare `<Error>`; the other XML services wrap it in `<ErrorResponse>`. */
  bareErrors?: boolean;
  /** Elements appended to every error (S3's RequestId and HostId). */
  errorFields?(request: ServiceRequest): Record<string, string>;
  /** Query protocol: start documents with `<?xml version="1.0"?>` (SQS does, SNS does not). */
  declaration?: boolean;
  /** Query protocol: an empty `<Detail/>` in errors (SQS). */
  errorDetail?: boolean;
  /** Query protocol: how text spells a carriage return (`&#13;` unless given; SQS and SNS write `&#xD;`). */
  carriageReturn?: string;
  /** Query protocol: members of a shape in the order the service writes them, where that is not the model's. */
  memberOrder?: Readonly<Record<string, readonly string[]>>;
}
