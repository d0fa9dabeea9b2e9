import { readFileSync } from 'node:fs';
import { FlintError } from '../core/index.js';

/**
 * AWS service models as botocore publishes them (`service-2.json`), documentation stripped by
 * scripts/gen-models.ts. These are the facts a server is generated from: operations with their HTTP bindings,
 * shapes with their members, locations, names, constraints and enums, and error shapes with codes and statuses.
 */

export type ProtocolName = 'json' | 'rest-json' | 'rest-xml' | 'query' | 'ec2' | 'smithy-rpc-v2-cbor';

export interface ModelMetadata {
  apiVersion: string;
  endpointPrefix: string;
  protocol: ProtocolName;
  protocols?: ProtocolName[];
  jsonVersion?: string;
  targetPrefix?: string;
  xmlNamespace?: string;
  awsQueryCompatible?: Record<string, never>;
  serviceId: string;
  signingName?: string;
  uid?: string;
}

export interface ShapeRef {
  shape: string;
  location?: 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';
  locationName?: string;
  queryName?: string;
  xmlNamespace?: { uri: string; prefix?: string };
  xmlAttribute?: boolean;
  flattened?: boolean;
  streaming?: boolean;
  idempotencyToken?: boolean;
  hostLabel?: boolean;
  jsonvalue?: boolean;
  timestampFormat?: TimestampFormat;
  eventpayload?: boolean;
  resultWrapper?: string;
  /** Query-protocol names of a service that moved to JSON, from its legacy model (see scripts/gen-models.ts). */
  query?: QueryTraits;
}

export interface QueryTraits {
  locationName?: string;
  flattened?: boolean;
}

export type TimestampFormat = 'iso8601' | 'rfc822' | 'unixTimestamp';

export type ShapeType = 'structure' | 'list' | 'map' | 'string' | 'blob' | 'boolean' | 'timestamp' | 'integer' | 'long' | 'float' | 'double' | 'bigdecimal' | 'biginteger' | 'document';

export interface Shape {
  type: ShapeType;
  members?: Record<string, ShapeRef>;
  required?: string[];
  member?: ShapeRef;
  key?: ShapeRef;
  value?: ShapeRef;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  payload?: string;
  flattened?: boolean;
  locationName?: string;
  xmlNamespace?: { uri: string; prefix?: string };
  timestampFormat?: TimestampFormat;
  streaming?: boolean;
  sensitive?: boolean;
  union?: boolean;
  document?: boolean;
  exception?: boolean;
  fault?: boolean;
  error?: { code?: string; httpStatusCode?: number; senderFault?: boolean };
  event?: boolean;
  eventstream?: boolean;
  query?: QueryTraits;
}

export interface OperationModel {
  name: string;
  http: { method: string; requestUri: string; responseCode?: number };
  input?: ShapeRef;
  output?: ShapeRef;
  errors?: ShapeRef[];
  httpChecksum?: { requestChecksumRequired?: boolean; requestAlgorithmMember?: string; requestValidationModeMember?: string; responseAlgorithms?: string[] };
}

export interface RawModel {
  source: string;
  metadata: ModelMetadata;
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
}

/** A structure member with its shape resolved once. */
export interface Member {
  name: string;
  ref: ShapeRef;
  shape: Shape;
  shapeName: string;
  required: boolean;
}

/** One loaded model: raw facts plus the lookups every protocol needs, computed once per shape. */
export class ServiceModel {
  private readonly memberCache = new Map<string, Member[]>();
  private errorCodes: Map<string, string> | undefined;

  /** Operations by name, looked up several times per request (a Map, not the parsed model's large object). */
  private readonly operations: ReadonlyMap<string, OperationModel>;
  /** Shapes by name, looked up for every value a request or answer holds (the parsed object is in dictionary mode). */
  private readonly shapes: ReadonlyMap<string, Shape>;

  constructor(readonly raw: RawModel) {
    this.operations = new Map(Object.entries(raw.operations));
    this.shapes = new Map(Object.entries(raw.shapes));
  }

  get metadata(): ModelMetadata {
    return this.raw.metadata;
  }

  operation(name: string): OperationModel | undefined {
    return this.operations.get(name);
  }

  operationNames(): string[] {
    return Object.keys(this.raw.operations);
  }

  shape(name: string): Shape {
    const shape = this.shapes.get(name);
    if (!shape) throw new FlintError('INTERNAL', `the ${this.metadata.serviceId} model has no shape ${name}`);
    return shape;
  }

  hasShape(name: string): boolean {
    return Object.hasOwn(this.raw.shapes, name);
  }

  /** A structure's members in model order, each with its shape. */
  members(shapeName: string): Member[] {
    const cached = this.memberCache.get(shapeName);
    if (cached) return cached;
    const shape = this.shape(shapeName);
    const required = new Set(shape.required ?? []);
    const members = Object.entries(shape.members ?? {}).map(([name, ref]) => ({ name, ref, shape: this.shape(ref.shape), shapeName: ref.shape, required: required.has(name) }));
    this.memberCache.set(shapeName, members);
    return members;
  }

  /** The error shapes of the model (and, when named, of one operation). */
  errorShapes(operation?: string): string[] {
    if (operation !== undefined) return (this.operation(operation)?.errors ?? []).map((ref) => ref.shape);
    return Object.entries(this.raw.shapes)
      .filter(([, shape]) => shape.exception)
      .map(([name]) => name);
  }

  /** The code an error shape goes by on the wire (query-compatible services keep their legacy codes). */
  errorCode(shapeName: string): string {
    return this.raw.shapes[shapeName]?.error?.code ?? shapeName;
  }

  /** The error shape whose wire code or name is `code`, if the model has one. */
  errorShape(code: string): string | undefined {
    if (Object.hasOwn(this.raw.shapes, code) && this.raw.shapes[code]!.exception) return code;
    // Indexed once: an error answer should not walk the whole model (S3 sends many codes the model lacks).
    this.errorCodes ??= new Map(Object.entries(this.raw.shapes).flatMap(([name, shape]) => (shape.exception && shape.error?.code !== undefined ? [[shape.error.code, name] as const] : [])).reverse());
    return this.errorCodes.get(code);
  }
}

/**
 * Reads one of the models scripts/gen-models.ts wrote. They sit in src/protocol/models/ and are copied beside the
 * bundle (dist/models/) by the build; `dir` points elsewhere for tests.
 */
export function loadModel(id: string, dir?: string): ServiceModel {
  const candidates = dir ? [new URL(`file://${dir}/${id}.json`)] : [new URL(`./models/${id}.json`, import.meta.url)];
  for (const url of candidates) {
    try {
      return new ServiceModel(JSON.parse(readFileSync(url, 'utf8')) as RawModel);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  throw new FlintError('INTERNAL', `no service model '${id}' (looked in ${candidates.map(String).join(', ')}); run npm run build`);
}
