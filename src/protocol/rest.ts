import type { ServiceRequest } from '../core/index.js';
import type { Member, ServiceModel, Shape, ShapeRef } from './model.js';
import { QueryValueError } from './query-values.js';
import { formatTimestamp } from './timestamps.js';
import { XmlValueError, XmlValues } from './xml-values.js';

/**
 * The HTTP bindings of the REST protocols (rest-json, rest-xml): routes from each operation's `requestUri`
 * (`/2015-03-31/functions/{FunctionName}/invocations`, `/{Bucket}/{Key+}?uploads`, `...?List=ALL`), and members
 * bound to URI labels, query parameters, headers (one, or a prefix map such as `x-amz-meta-`), the status code and
 * the payload. What is left over travels in the body, which the protocol writes (JSON or XML).
 */

interface Route {
  operation: string;
  method: string;
  segments: string[];
  /** Query literals the route requires: a key, or a key and its value (`list-type=2`). */
  query: [string, string | undefined][];
  greedy: boolean;
}

export class RestRouter {
  private readonly routes: Route[];

  constructor(model: ServiceModel) {
    this.routes = model
      .operationNames()
      .map((operation) => toRoute(operation, model.operation(operation)!.http))
      // The most specific route first: more query literals, then more literal path segments, then fixed length.
      .sort((a, b) => b.query.length - a.query.length || literals(b) - literals(a) || Number(a.greedy) - Number(b.greedy));
  }

  /** The operation and its URI labels (percent-decoded), or undefined when no route takes the request. */
  match(method: string, rawPath: string, query: URLSearchParams): { operation: string; labels: Record<string, string> } | undefined {
    const segments = rawPath.split('/').filter(Boolean);
    for (const route of this.routes) {
      if (route.method !== method) continue;
      if (!route.query.every(([key, value]) => (value === undefined ? query.has(key) : query.get(key) === value))) continue;
      const labels = matchSegments(route, segments);
      if (labels) return { operation: route.operation, labels };
    }
    return undefined;
  }

  /** The URI labels of a known operation (for services that pick the operation themselves). */
  labels(operation: string, rawPath: string): Record<string, string> | undefined {
    const route = this.routes.find((r) => r.operation === operation);
    return route ? matchSegments(route, rawPath.split('/').filter(Boolean)) : undefined;
  }
}

function toRoute(operation: string, http: { method: string; requestUri: string }): Route {
  const [path = '', search = ''] = http.requestUri.split('?');
  const segments = path.split('/').filter(Boolean);
  const query = search
    .split('&')
    .filter(Boolean)
    .map((part): [string, string | undefined] => {
      const eq = part.indexOf('=');
      return eq < 0 ? [part, undefined] : [part.slice(0, eq), part.slice(eq + 1)];
    });
  return { operation, method: http.method, segments, query, greedy: segments.some((s) => s.endsWith('+}')) };
}

function literals(route: Route): number {
  return route.segments.filter((s) => !s.startsWith('{')).length;
}

function matchSegments(route: Route, segments: string[]): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  const template = route.segments;
  for (let i = 0; i < template.length; i++) {
    const part = template[i]!;
    if (part.startsWith('{') && part.endsWith('+}')) {
      const rest = segments.slice(i);
      if (rest.length === 0) return undefined;
      const value = decode(rest.join('/'));
      if (value === undefined) return undefined;
      labels[part.slice(1, -2)] = value;
      return labels;
    }
    const actual = segments[i];
    if (actual === undefined) return undefined;
    if (part.startsWith('{')) {
      const value = decode(actual);
      if (value === undefined) return undefined;
      labels[part.slice(1, -1)] = value;
    } else if (part !== actual) return undefined;
  }
  return segments.length === template.length ? labels : undefined;
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** A member bound outside the body, with its wire name (and, for headers, its lowercased name) worked out once. */
interface Binding {
  member: Member;
  location: NonNullable<ShapeRef['location']>;
  name: string;
  /** Lowercased header name or prefix, as node:http gives header names. */
  lower: string;
}

/** How a structure travels in a REST request or response, worked out once per shape. */
export interface ShapeBindings {
  /** Members bound to labels, query, headers or the status code, in model order (a query map last). */
  bound: Binding[];
  /** A map member taking every query parameter no other member binds. */
  queryMap: Member | undefined;
  /** Members that travel in the body document. */
  body: Member[];
  /** The member that is the body itself, when the shape names one. */
  payload: Member | undefined;
  /** The bound members by member name. */
  byMember: ReadonlyMap<string, Binding>;
  /** URI labels, headers by lowercased name, header-prefix maps, query parameters by name. */
  labels: Binding[];
  byHeader: ReadonlyMap<string, Binding>;
  prefixes: Binding[];
  byQuery: ReadonlyMap<string, Binding>;
}

/** The REST bindings of a model's structures, computed on first use and kept. */
export class RestBindings {
  private readonly shapes = new Map<string, ShapeBindings>();

  constructor(
    private readonly model: ServiceModel,
    private readonly xml: XmlValues,
  ) {}

  of(shapeName: string): ShapeBindings {
    let bindings = this.shapes.get(shapeName);
    if (!bindings) {
      bindings = bindingsOf(this.model, shapeName);
      this.shapes.set(shapeName, bindings);
    }
    return bindings;
  }

  /**
   * Reads the members bound outside the body (labels, query, headers) of an input structure. Members of an `opaque`
   * shape are handed over as the text received, for the service to read its own way (S3 words a bad max-keys itself
   * and ignores an If-Modified-Since that is not a date).
   */
  read(shapeName: string, request: ServiceRequest, labels: Record<string, string>, opaque: ReadonlySet<string> = NONE): Record<string, unknown> {
    const { model, xml } = this;
    const bindings = this.of(shapeName);
    const out: Record<string, unknown> = {};
    for (const { member, name } of bindings.labels) {
      const value = labels[name] ?? labels[`${name}+`];
      if (value !== undefined) out[member.name] = opaque.has(member.shapeName) ? value : scalar(xml, member.shape, value, name);
    }
    // Headers and query parameters are walked as sent (a few), not as the shape could bind them (S3: dozens).
    for (const [header, raw] of Object.entries(request.headers)) {
      const binding = bindings.byHeader.get(header);
      if (!binding || raw === undefined) continue;
      const { member } = binding;
      const value = opaque.has(member.shapeName) ? (Array.isArray(raw) ? raw.join(', ') : raw) : headerValue(xml, model, member, raw);
      if (value !== undefined) out[member.name] = value;
    }
    for (const { member, lower } of bindings.prefixes) {
      const map: Record<string, string> = {};
      for (const [header, value] of Object.entries(request.headers)) {
        if (header.startsWith(lower) && value !== undefined) map[header.slice(lower.length)] = Array.isArray(value) ? value.join(',') : value;
      }
      if (Object.keys(map).length > 0) out[member.name] = map;
    }
    if (bindings.byQuery.size === 0 && !bindings.queryMap) return out;
    const unbound: Record<string, string> = {};
    for (const key of new Set(request.query.keys())) {
      const binding = bindings.byQuery.get(key);
      if (!binding) {
        unbound[key] = request.query.get(key)!;
        continue;
      }
      const { member, name } = binding;
      const value = opaque.has(member.shapeName) ? (request.query.get(name) ?? undefined) : queryValue(xml, model, member, request.query, name);
      if (value !== undefined) out[member.name] = value;
    }
    // A map member takes every query parameter no other member binds.
    if (bindings.queryMap && Object.keys(unbound).length > 0) out[bindings.queryMap.name] = unbound;
    return out;
  }

  /** Writes the members bound outside the body of an output structure: status code and headers. */
  write(shapeName: string, output: Record<string, unknown>): { status?: number; headers: Record<string, string> } {
    const headers: Record<string, string> = {};
    let status: number | undefined;
    const { byMember } = this.of(shapeName);
    // Walks the few members an output has rather than every member its shape could bind (GetObject: 42).
    for (const key of Object.keys(output)) {
      const binding = byMember.get(key);
      const value = output[key];
      if (!binding || value === undefined || value === null) continue;
      const { member, location, name } = binding;
      if (location === 'statusCode') status = Number(value);
      else if (location === 'header') headers[name] = headerText(this.xml, this.model, member, value);
      else if (location === 'headers') for (const [key, inner] of Object.entries(value as Record<string, string>)) headers[`${name}${key}`] = String(inner);
    }
    return { status, headers };
  }
}

function bindingsOf(model: ServiceModel, shapeName: string): ShapeBindings {
  const members = model.members(shapeName);
  const bound: Binding[] = [];
  let queryMap: Member | undefined;
  for (const member of members) {
    const { location } = member.ref;
    if (location === undefined) continue;
    if (location === 'querystring' && member.shape.type === 'map') {
      queryMap = member;
      continue;
    }
    const name = member.ref.locationName ?? member.name;
    bound.push({ member, location, name, lower: name.toLowerCase() });
  }
  const payloadName = model.shape(shapeName).payload;
  return {
    bound,
    queryMap,
    body: members.filter((m) => m.ref.location === undefined),
    payload: payloadName === undefined ? undefined : members.find((m) => m.name === payloadName),
    byMember: new Map(bound.map((binding) => [binding.member.name, binding])),
    labels: bound.filter((b) => b.location === 'uri'),
    byHeader: new Map(bound.filter((b) => b.location === 'header').map((b) => [b.lower, b])),
    prefixes: bound.filter((b) => b.location === 'headers'),
    byQuery: new Map(bound.filter((b) => b.location === 'querystring').map((b) => [b.name, b])),
  };
}

const NONE: ReadonlySet<string> = new Set();

function scalar(xml: XmlValues, shape: Shape, text: string, path: string): unknown {
  try {
    return xml.scalar(shape, text, path);
  } catch (error) {
    if (error instanceof XmlValueError) throw new QueryValueError(path, shape.type, text);
    throw error;
  }
}

function queryValue(xml: XmlValues, model: ServiceModel, member: Member, query: URLSearchParams, name: string): unknown {
  if (member.shape.type === 'list') {
    const values = query.getAll(name);
    if (values.length === 0) return undefined;
    const element = model.shape(member.shape.member!.shape);
    return values.map((value) => scalar(xml, element, value, name));
  }
  const value = query.get(name);
  return value === null ? undefined : scalar(xml, member.shape, value, name);
}

function headerValue(xml: XmlValues, model: ServiceModel, member: Member, raw: string | string[] | undefined): unknown {
  if (raw === undefined) return undefined;
  const text = Array.isArray(raw) ? raw.join(', ') : raw;
  const name = member.ref.locationName ?? member.name;
  if (member.shape.type === 'list') {
    const element = model.shape(member.shape.member!.shape);
    return text.split(',').map((part) => scalar(xml, element, part.trim(), name));
  }
  if (member.ref.jsonvalue || (member.shape as Shape & { jsonvalue?: boolean }).jsonvalue) {
    try {
      return JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as unknown;
    } catch {
      throw new QueryValueError(name, 'string', text);
    }
  }
  return scalar(xml, member.shape, text, name);
}

function headerText(xml: XmlValues, model: ServiceModel, member: Member, value: unknown): string {
  if (member.shape.type === 'list') {
    const element = model.shape(member.shape.member!.shape);
    return (value as unknown[]).map((item) => xml.text(element, item)).join(', ');
  }
  if (member.ref.jsonvalue) return Buffer.from(JSON.stringify(value)).toString('base64');
  if (member.shape.type === 'timestamp') return String(formatTimestamp(value, member.ref.timestampFormat ?? member.shape.timestampFormat ?? 'rfc822'));
  return xml.text(member.shape, value);
}
