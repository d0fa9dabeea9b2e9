import type { Member, Shape, ServiceModel, TimestampFormat } from './model.js';
import { formatTimestamp, parseTimestamp } from './timestamps.js';

/**
 * Model-driven conversion between JSON documents and typed values, for the JSON protocols (awsJson 1.0/1.1,
 * rest-json bodies) and, with byte strings left as they are, CBOR. Reading checks JSON types against the model the
 * way AWS's deserialiser does and reports the first mismatch; writing walks the output shape and converts
 * timestamps and blobs. Shapes the service declares opaque pass through as parsed.
 */

/** What the deserialiser found where the model expected something else; the service words the error. */
export interface TypeMismatch {
  /** Model type expected: structure, list, map, string, integer, ... */
  expected: Shape['type'];
  shapeName: string;
  /** The JSON value found. */
  found: unknown;
  /** Member path, e.g. ["TransactItems", 0, "Put"]. */
  path: (string | number)[];
  /** The value is a list element or a map value, not a structure member (AWS words a misplaced structure apart). */
  element?: boolean;
}

export class MismatchError extends Error {
  constructor(
    readonly mismatch: TypeMismatch,
    /** Where the reader was (its own path node), to tell a value's own mismatch from one inside it. */
    readonly at?: Path,
  ) {
    super(`expected ${mismatch.expected} at ${mismatch.path.join('.')}`);
  }
}

/**
 * A member path as the reader walks it: each step points at its parent, so descending allocates one small node
 * rather than copying an array, and the array is only built for the rare value of the wrong type.
 */
interface Path {
  readonly parent: Path | undefined;
  readonly key: string | number;
}

function pathArray(at: Path | undefined): (string | number)[] {
  const out: (string | number)[] = [];
  for (let step = at; step; step = step.parent) out.push(step.key);
  return out.reverse();
}

export interface JsonReadOptions {
  opaque: ReadonlySet<string>;
  /** CBOR carries blobs as byte strings and timestamps as tagged numbers; JSON as base64 and numbers or strings. */
  binary?: boolean;
}

export class JsonValues {
  /** Shapes whose values are written as they are: no timestamps, blobs or renamed members anywhere inside. */
  private readonly plain = new Map<string, boolean>();
  private readonly keys = new Map<string, ReadonlyMap<string, Member>>();

  constructor(
    private readonly model: ServiceModel,
    private readonly options: JsonReadOptions,
  ) {}

  /**
   * A structure's body members by their JSON key, computed once per shape. Members bound to the URI, query or
   * headers (rest-json) are not read from the body.
   */
  private keysOf(shapeName: string): ReadonlyMap<string, Member> {
    let keys = this.keys.get(shapeName);
    if (!keys) {
      keys = new Map(this.model.members(shapeName).filter((m) => m.ref.location === undefined).map((m) => [m.ref.locationName ?? m.name, m]));
      this.keys.set(shapeName, keys);
    }
    return keys;
  }

  /** Reads a structure from a parsed JSON object; throws MismatchError for the first value of the wrong type. */
  read(shapeName: string, value: unknown): unknown {
    return this.readAt(shapeName, value, undefined);
  }

  private readAt(shapeName: string, value: unknown, at: Path | undefined): unknown {
    if (value === null || value === undefined) return undefined;
    if (this.options.opaque.has(shapeName)) return value;
    const shape = this.model.shape(shapeName);
    switch (shape.type) {
      case 'structure':
        return this.readStructure(shapeName, shape, value, at);
      case 'list':
        return this.readList(shapeName, shape, value, at);
      case 'map':
        return this.readMap(shapeName, shape, value, at);
      case 'string':
        return expect(typeof value === 'string', value, shape, shapeName, at);
      case 'boolean':
        return expect(typeof value === 'boolean', value, shape, shapeName, at);
      case 'integer':
      case 'long':
      case 'float':
      case 'double':
      case 'bigdecimal':
      case 'biginteger':
        return this.readNumber(value, shape, shapeName, at);
      case 'timestamp':
        return this.readTimestamp(value, shape, shapeName, at);
      case 'blob':
        return this.readBlob(value, shape, shapeName, at);
      default:
        return value;
    }
  }

  private readStructure(shapeName: string, shape: Shape, value: unknown, at: Path | undefined): Record<string, unknown> {
    if (!isObject(value)) throw mismatch(shape.type, shapeName, value, at);
    const byKey = this.keysOf(shapeName);
    // Most documents are already what the handler wants: every key a member by its own name, no nulls, nothing to
    // convert. Those are checked and kept as parsed; a copy starts at the first key that differs.
    let out: Record<string, unknown> | undefined;
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      const member = byKey.get(key);
      const inner = value[key];
      // Unknown keys are ignored, as AWS does.
      const read = member && inner !== null && inner !== undefined ? this.readAt(member.shapeName, inner, { parent: at, key: member.name }) : undefined;
      if (out === undefined) {
        if (read !== undefined && read === inner && member!.name === key) continue;
        out = this.membersBefore(value, key, byKey);
      }
      if (read !== undefined) out[member!.name] = read;
    }
    return out ?? value;
  }

  /** The members of a document that come before `stop`, which were read unchanged. */
  private membersBefore(value: Record<string, unknown>, stop: string, byKey: ReadonlyMap<string, Member>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key in value) {
      if (key === stop) break;
      if (Object.hasOwn(value, key) && byKey.has(key)) out[key] = value[key];
    }
    return out;
  }

  private readList(shapeName: string, shape: Shape, value: unknown, at: Path | undefined): unknown[] {
    if (!Array.isArray(value)) throw mismatch('list', shapeName, value, at);
    const element = shape.member!.shape;
    // null elements stay: the validator reports them ("Member must not be null").
    return value.map((item, i) => (item === null ? null : this.readElement(element, item, { parent: at, key: i })));
  }

  /** Reads a list element or map value, marking a mismatch of the value itself as an element's. */
  private readElement(shapeName: string, value: unknown, at: Path): unknown {
    try {
      return this.readAt(shapeName, value, at);
    } catch (error) {
      if (error instanceof MismatchError && error.at === at) throw new MismatchError({ ...error.mismatch, element: true });
      throw error;
    }
  }

  private readMap(shapeName: string, shape: Shape, value: unknown, at: Path | undefined): Record<string, unknown> {
    if (!isObject(value)) throw mismatch('map', shapeName, value, at);
    const valueShape = shape.value!.shape;
    // Opaque values stay as parsed, and so does the map that holds them (DynamoDB's items).
    if (this.options.opaque.has(valueShape)) return value;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      const read = this.readElement(valueShape, inner, { parent: at, key });
      setOwn(out, key, read === undefined ? null : read);
    }
    return out;
  }

  private readNumber(value: unknown, shape: Shape, shapeName: string, at: Path | undefined): number {
    if (typeof value === 'number') return value;
    // AWS's JSON protocols write the non-finite doubles as strings.
    if (typeof value === 'string' && (shape.type === 'double' || shape.type === 'float')) {
      if (value === 'NaN') return Number.NaN;
      if (value === 'Infinity') return Number.POSITIVE_INFINITY;
      if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
    }
    throw mismatch(shape.type, shapeName, value, at);
  }

  private readTimestamp(value: unknown, shape: Shape, shapeName: string, at: Path | undefined): Date {
    if (value instanceof Date) return value;
    const parsed = typeof value === 'number' || typeof value === 'string' ? parseTimestamp(value) : undefined;
    if (parsed === undefined) throw mismatch(shape.type, shapeName, value, at);
    return parsed;
  }

  private readBlob(value: unknown, shape: Shape, shapeName: string, at: Path | undefined): Uint8Array {
    if (this.options.binary && value instanceof Uint8Array) return value;
    if (typeof value !== 'string') throw mismatch(shape.type, shapeName, value, at);
    return Buffer.from(value, 'base64');
  }

  /** Writes a typed value as JSON-ready data (CBOR-ready with `binary`). */
  write(shapeName: string, value: unknown, format?: TimestampFormat): unknown {
    if (value === undefined || value === null) return undefined;
    if (this.options.opaque.has(shapeName) || this.isPlain(shapeName)) return value;
    const shape = this.model.shape(shapeName);
    switch (shape.type) {
      case 'structure': {
        const out: Record<string, unknown> = {};
        const record = value as Record<string, unknown>;
        for (const member of this.model.members(shapeName)) {
          if (member.ref.location !== undefined) continue;
          const written = this.write(member.shapeName, record[member.name], member.ref.timestampFormat);
          if (written !== undefined) out[member.ref.locationName ?? member.name] = written;
        }
        return out;
      }
      case 'list':
        return (value as unknown[]).map((item) => this.write(shape.member!.shape, item) ?? null);
      case 'map':
        return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, this.write(shape.value!.shape, v) ?? null]));
      case 'timestamp':
        if (this.options.binary) return value instanceof Date ? value : new Date(Number(value) * 1000);
        return formatTimestamp(value, format ?? shape.timestampFormat ?? 'unixTimestamp');
      case 'blob':
        if (this.options.binary) return value instanceof Uint8Array ? value : Buffer.from(String(value));
        return value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') : Buffer.from(String(value)).toString('base64');
      default:
        return value;
    }
  }

  /**
   * Whether a shape's values can be written as they are (computed once per shape). `seen` is made only when the
   * answer is not known yet: as a default parameter it would allocate a Set on every write of every request.
   */
  private isPlain(shapeName: string, seen?: Set<string>): boolean {
    if (this.options.opaque.has(shapeName)) return true;
    const known = this.plain.get(shapeName);
    if (known !== undefined) return known;
    seen ??= new Set<string>();
    if (seen.has(shapeName)) return true;
    seen.add(shapeName);
    const shape = this.model.shape(shapeName);
    let plain: boolean;
    switch (shape.type) {
      case 'timestamp':
      case 'blob':
        plain = false;
        break;
      case 'structure':
        plain = this.model.members(shapeName).every((m) => m.ref.location === undefined && m.ref.locationName === undefined && (this.options.opaque.has(m.shapeName) || this.isPlain(m.shapeName, seen)));
        break;
      case 'list':
        plain = this.isPlain(shape.member!.shape, seen);
        break;
      case 'map':
        plain = this.isPlain(shape.value!.shape, seen);
        break;
      default:
        plain = true;
    }
    this.plain.set(shapeName, plain);
    return plain;
  }
}

/** A map key is data: "__proto__" becomes an own property, as JSON.parse makes it, not the object's prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array);
}

function expect(ok: boolean, value: unknown, shape: Shape, shapeName: string, at: Path | undefined): unknown {
  if (!ok) throw mismatch(shape.type, shapeName, value, at);
  return value;
}

function mismatch(expected: Shape['type'], shapeName: string, found: unknown, at: Path | undefined): MismatchError {
  return new MismatchError({ expected, shapeName, found, path: pathArray(at) }, at);
}

/**
 * How AWS's Java deserialiser (Jackson, behind coral) words a JSON value of the wrong type, as DynamoDB and the other
 * coral JSON services send it in a SerializationException. `namespace` is the service's Java package
 * ("com.amazonaws.dynamodb.v20120810"). The wording is DynamoDB's as dynalite's tests recorded it from AWS
 * (test/helpers.js, assertType): a value where a structure member is expected is an "Unexpected field type", where a
 * list element or map value is, an "Unexpected value type in payload"; a string is no Boolean token; a blob is a
 * base-64 string.
 */
export function coralMismatchMessage(mismatch: TypeMismatch, namespace: string, model: ServiceModel): string {
  const { found, expected } = mismatch;
  if (expected === 'list') return isObject(found) ? 'Start of structure or map found where not expected' : 'Unexpected field type';
  if (expected === 'structure') {
    if (Array.isArray(found)) return `Unrecognized collection type class ${namespace}.${mismatch.shapeName}`;
    return mismatch.element ? 'Unexpected value type in payload' : 'Unexpected field type';
  }
  if (expected === 'map') {
    if (!Array.isArray(found)) return 'Unexpected field type';
    const valueShape = model.shape(mismatch.shapeName).value!.shape;
    return `Unrecognized collection type java.util.Map<java.lang.String, ${javaClass(model, valueShape, namespace)}>`;
  }
  return coralConversionMessage(found, expected, javaClass(model, mismatch.shapeName, namespace));
}

/** The same wording for a scalar of Java class `javaName` ("java.lang.String"), for services that read opaque values. */
export function coralConversionMessage(found: unknown, expected: Shape['type'], javaName: string): string {
  if (Array.isArray(found)) return `Unrecognized collection type class ${javaName}`;
  if (isObject(found)) return 'Start of structure or map found where not expected';
  if (expected === 'blob') return 'only base-64-encoded strings are convertible to bytes';
  if (expected === 'boolean' && typeof found === 'string') return 'Unexpected token received from parser';
  const type = javaName.slice(javaName.lastIndexOf('.') + 1);
  if (typeof found === 'boolean') return `${found ? 'TRUE_VALUE' : 'FALSE_VALUE'} cannot be converted to ${type}`;
  if (typeof found === 'number') return `${Number.isInteger(found) ? 'NUMBER_VALUE' : 'DECIMAL_VALUE'} cannot be converted to ${type}`;
  return `STRING_VALUE cannot be converted to ${type}`;
}

/** The Java class a shape deserialises into. */
function javaClass(model: ServiceModel, shapeName: string, namespace: string): string {
  const shape = model.shape(shapeName);
  switch (shape.type) {
    case 'string':
      return 'java.lang.String';
    case 'integer':
      return 'java.lang.Integer';
    case 'long':
      return 'java.lang.Long';
    case 'boolean':
      return 'java.lang.Boolean';
    case 'double':
      return 'java.lang.Double';
    case 'float':
      return 'java.lang.Float';
    case 'timestamp':
      return 'java.util.Date';
    case 'blob':
      return 'java.nio.ByteBuffer';
    case 'bigdecimal':
      return 'java.math.BigDecimal';
    case 'biginteger':
      return 'java.math.BigInteger';
    default:
      return `${namespace}.${shapeName}`;
  }
}
