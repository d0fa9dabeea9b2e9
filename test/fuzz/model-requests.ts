import fc from 'fast-check';
import type { InProcessRequest } from '../../src/platform/index.js';
import type { ServiceModel, Shape, ShapeRef } from '../../src/protocol/index.js';
import { hostileString } from './fuzz.js';

/**
 * Valid-ish requests built from a service's model: walk an operation's input shape to a value (mostly of the right
 * types, sometimes not), then encode it as the protocol puts it on the wire. Mutations of these reach deeper into a
 * service than random bytes, because the routing and the envelope are right.
 */
export type Wire = 'json' | 'query' | 'rest-json' | 'rest-xml';

export interface ModelRequest {
  operation: string;
  request: InProcessRequest;
}

/** A generated input value, as JSON would hold it. */
type Value = null | boolean | number | string | Value[] | { [key: string]: Value };

const MAX_DEPTH = 4;

/** An arbitrary value of a shape: right types mostly, edge values often, a wrong type now and then. */
export function valueOf(model: ServiceModel, ref: ShapeRef, depth = 0): fc.Arbitrary<Value> {
  const shape = model.shape(ref.shape);
  const right = rightValue(model, shape, depth);
  return fc.oneof({ weight: 12, arbitrary: right }, { weight: 1, arbitrary: wrongValue() });
}

function wrongValue(): fc.Arbitrary<Value> {
  return fc.oneof(fc.constant(null), fc.boolean(), fc.double(), hostileString(), fc.constant<Value>([]), fc.constant<Value>({}), fc.constant<Value>([[]]));
}

function rightValue(model: ServiceModel, shape: Shape, depth: number): fc.Arbitrary<Value> {
  switch (shape.type) {
    case 'structure': {
      if (depth >= MAX_DEPTH) return fc.constant({});
      const members = Object.entries(shape.members ?? {});
      const required = new Set(shape.required ?? []);
      const fields = Object.fromEntries(members.map(([name, ref]) => [name, valueOf(model, ref, depth + 1)]));
      return fc.record(fields, { requiredKeys: members.map(([n]) => n).filter((n) => required.has(n)) }) as fc.Arbitrary<Value>;
    }
    case 'list':
      if (depth >= MAX_DEPTH) return fc.constant([]);
      return fc.array(valueOf(model, shape.member!, depth + 1), { maxLength: 3 });
    case 'map':
      if (depth >= MAX_DEPTH) return fc.constant({});
      return fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', '')), valueOf(model, shape.value!, depth + 1), { maxKeys: 3 }) as fc.Arbitrary<Value>;
    case 'string':
      return shape.enum ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...shape.enum) }, { weight: 1, arbitrary: hostileString() }) : hostileString();
    case 'boolean':
      return fc.boolean();
    case 'integer':
    case 'long':
      return fc.oneof(fc.integer({ min: -5, max: 100 }), fc.constantFrom(0, -1, 2 ** 31, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER, 1e300));
    case 'float':
    case 'double':
    case 'bigdecimal':
    case 'biginteger':
      return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer());
    case 'timestamp':
      return fc.oneof(fc.integer({ min: 0, max: 4_102_444_800 }), fc.constantFrom('2026-12-07T20:00:00Z', 'yesterday', '', '1e999'));
    case 'blob':
      return fc.uint8Array({ maxLength: 48 }).map((bytes) => Buffer.from(bytes).toString('base64'));
    case 'document':
      return fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Value>;
  }
}

/** Requests for the model's operations in `wire`, with a SigV4-shaped Authorization naming `signingName`. */
export interface ModelRequestOptions {
  signingName: string;
  skip?: readonly string[];
  /** Top-level input members given fixed values (S3's Bucket: one that exists, so requests reach the operation). */
  fixed?: Readonly<Record<string, string>>;
}

export function modelRequests(model: ServiceModel, wire: Wire, options: ModelRequestOptions): fc.Arbitrary<ModelRequest> {
  const skip = new Set(options.skip ?? []);
  const names = model.operationNames().filter((name) => !skip.has(name));
  const fixed = options.fixed ?? {};
  return fc.constantFrom(...names).chain((operation) => {
    const op = model.operation(operation)!;
    const generated: fc.Arbitrary<Value> = op.input ? valueOf(model, op.input) : fc.constant({});
    const input = generated.map((value) => (op.input && isRecord(value) ? { ...value, ...pick(fixed, model.shape(op.input.shape)) } : value));
    return input.map((value) => ({ operation, request: encode(model, operation, value, wire, options.signingName) }));
  });
}

function pick(fixed: Readonly<Record<string, string>>, shape: Shape): Record<string, string> {
  return Object.fromEntries(Object.entries(fixed).filter(([name]) => shape.members?.[name] !== undefined));
}

function authorization(service: string): string {
  return `AWS4-HMAC-SHA256 Credential=AKIAFUZZ/20261207/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`;
}

function encode(model: ServiceModel, operation: string, value: Value, wire: Wire, service: string): InProcessRequest {
  const headers: Record<string, string> = { authorization: authorization(service), 'x-amz-date': '20261207T200000Z' };
  const meta = model.metadata;
  if (wire === 'json') {
    headers['x-amz-target'] = `${meta.targetPrefix}.${operation}`;
    headers['content-type'] = `application/x-amz-json-${meta.jsonVersion ?? '1.0'}`;
    return { method: 'POST', path: '/', headers, body: JSON.stringify(value) };
  }
  if (wire === 'query') {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    const form = new URLSearchParams({ Action: operation, Version: meta.apiVersion });
    const op = model.operation(operation)!;
    if (op.input && isRecord(value)) flattenQuery(model, op.input.shape, value, '', form);
    return { method: 'POST', path: '/', headers, body: form.toString() };
  }
  return encodeRest(model, operation, value, wire, headers);
}

function isRecord(value: Value): value is { [key: string]: Value } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scalar(value: Value): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

/** The query protocol's flattening: Member.member.1.Name=..., maps as entry.N.key/value. */
function flattenQuery(model: ServiceModel, shapeName: string, value: Value, prefix: string, form: URLSearchParams): void {
  const shape = model.shape(shapeName);
  if (shape.type === 'structure' && isRecord(value)) {
    for (const [name, ref] of Object.entries(shape.members ?? {})) {
      if (value[name] === undefined) continue;
      flattenQuery(model, ref.shape, value[name], `${prefix}${prefix ? '.' : ''}${ref.locationName ?? name}`, form);
    }
    return;
  }
  if (shape.type === 'list' && Array.isArray(value)) {
    const member = shape.member!;
    value.forEach((item, i) => flattenQuery(model, member.shape, item, `${prefix}${shape.flattened ? '' : `.${member.locationName ?? 'member'}`}.${i + 1}`, form));
    return;
  }
  if (shape.type === 'map' && isRecord(value)) {
    Object.entries(value).forEach(([key, item], i) => {
      form.append(`${prefix}.entry.${i + 1}.key`, key);
      flattenQuery(model, shape.value!.shape, item, `${prefix}.entry.${i + 1}.value`, form);
    });
    return;
  }
  form.append(prefix, scalar(value));
}

function encodeRest(model: ServiceModel, operation: string, value: Value, wire: Wire, headers: Record<string, string>): InProcessRequest {
  const op = model.operation(operation)!;
  const shape = op.input ? model.shape(op.input.shape) : { type: 'structure' as const, members: {} };
  const fields = isRecord(value) ? value : {};
  const query = new URLSearchParams();
  const [template, fixedQuery] = op.http.requestUri.split('?') as [string, string | undefined];
  let path = template;
  const body: Record<string, Value> = {};
  let payload: { name: string; ref: ShapeRef } | undefined;
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const field = fields[name];
    const wireName = ref.locationName ?? name;
    if (shape.payload === name) payload = { name, ref };
    else if (ref.location === 'uri') {
      const text = field === undefined ? 'x' : scalar(field);
      path = path.replace(`{${wireName}+}`, text.split('/').map(encodeURIComponent).join('/')).replace(`{${wireName}}`, encodeURIComponent(text));
    } else if (field === undefined) continue;
    else if (ref.location === 'querystring') query.append(wireName, scalar(field));
    else if (ref.location === 'header') headers[wireName.toLowerCase()] = headerSafe(scalar(field));
    else if (ref.location === 'headers') continue;
    else body[wireName] = field;
  }
  const search = [fixedQuery, query.toString()].filter(Boolean).join('&');
  const target = `${path}${search ? `?${search}` : ''}`;
  if (payload) {
    const field = fields[payload.name];
    const payloadShape = model.shape(payload.ref.shape);
    if (field === undefined) return { method: op.http.method, path: target, headers };
    if (payloadShape.type === 'blob' || payloadShape.type === 'string') return { method: op.http.method, path: target, headers, body: scalar(field) };
    const root = payload.ref.locationName ?? payloadShape.locationName ?? payload.ref.shape;
    return { method: op.http.method, path: target, headers, body: wire === 'rest-xml' ? xmlOf(model, root, payload.ref.shape, field) : JSON.stringify(field) };
  }
  if (Object.keys(body).length === 0) return { method: op.http.method, path: target, headers };
  if (wire === 'rest-json') headers['content-type'] = 'application/json';
  return { method: op.http.method, path: target, headers, body: wire === 'rest-xml' ? xmlOf(model, operation, op.input!.shape, body) : JSON.stringify(body) };
}

/** Header values must be visible ASCII for node:http; anything else would not reach the node over a socket. */
function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
}

function escapeXmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A REST-XML document of a value: elements named by members' locationNames, lists wrapped unless flattened. */
export function xmlOf(model: ServiceModel, root: string, shapeName: string, value: Value): string {
  return `<${root} xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${xmlInner(model, shapeName, value)}</${root}>`;
}

function xmlInner(model: ServiceModel, shapeName: string, value: Value): string {
  const shape = model.shape(shapeName);
  if (shape.type === 'structure' && isRecord(value)) {
    return Object.entries(shape.members ?? {})
      .filter(([name]) => value[name] !== undefined)
      .map(([name, ref]) => {
        const tag = ref.locationName ?? name;
        const inner = model.shape(ref.shape);
        if (inner.type === 'list' && Array.isArray(value[name]) && (ref.flattened || inner.flattened)) {
          return (value[name] as Value[]).map((item) => `<${tag}>${xmlInner(model, inner.member!.shape, item)}</${tag}>`).join('');
        }
        return `<${tag}>${xmlInner(model, ref.shape, value[name]!)}</${tag}>`;
      })
      .join('');
  }
  if (shape.type === 'list' && Array.isArray(value)) {
    const tag = shape.member!.locationName ?? 'member';
    return value.map((item) => `<${tag}>${xmlInner(model, shape.member!.shape, item)}</${tag}>`).join('');
  }
  return escapeXmlText(scalar(value));
}
