import { FlintError } from '../../core/index.js';
import type { Route, RouteMatch, RouteTable } from './types.js';

const METHODS = new Set(['ANY', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
const PARAM = /^\{([A-Za-z0-9._:-]+)(\+?)\}$/;

type Segment = { kind: 'static'; value: string } | { kind: 'param'; name: string } | { kind: 'greedy'; name: string };

interface CompiledRoute {
  route: Route;
  /** Upper-case method, 'ANY', or undefined for $default. */
  method: string | undefined;
  segments: Segment[];
  greedy: boolean;
}

/** Lower ranks are more specific: a literal segment beats a variable, which beats a greedy variable. */
const RANK: Record<Segment['kind'], number> = { static: 0, param: 1, greedy: 2 };

/**
 * Validates route keys and orders them once, so each match is a scan that stops at the first (most specific) hit.
 * Throws INVALID_PARAMETER for a malformed key and ROUTE_CONFLICT for two routes matching the same requests.
 */
export function compileRoutes(routes: Route[]): RouteTable {
  const compiled = routes.map(compileRoute);
  rejectConflicts(compiled);
  const ordered = [...compiled].sort(bySpecificity);
  return { match: (method, path) => matchFirst(ordered, method.toUpperCase(), path) };
}

/** The path part of a route key ("/users/{id}"), or undefined for $default. */
export function routePath(routeKey: string): string | undefined {
  if (routeKey === '$default') return undefined;
  return routeKey.slice(routeKey.indexOf(' ') + 1);
}

function compileRoute(route: Route): CompiledRoute {
  if (route.routeKey === '$default') return { route, method: undefined, segments: [], greedy: false };
  const match = /^([A-Za-z]+) (\/\S*)$/.exec(route.routeKey);
  const method = match?.[1]?.toUpperCase();
  const path = match?.[2];
  if (method === undefined || path === undefined || !METHODS.has(method)) throw invalidRoute(route, 'expected "<METHOD> /path" or "$default"');
  const segments = parsePath(route, path);
  return { route, method, segments, greedy: segments.at(-1)?.kind === 'greedy' };
}

function parsePath(route: Route, path: string): Segment[] {
  if (path === '/') return [];
  const parts = path.slice(1).split('/');
  const segments = parts.map((part, index): Segment => {
    if (part === '') throw invalidRoute(route, 'the path has an empty segment or a trailing slash');
    const param = PARAM.exec(part);
    if (param?.[1] !== undefined) {
      if (param[2] !== '+') return { kind: 'param', name: param[1] };
      if (index !== parts.length - 1) throw invalidRoute(route, 'a greedy variable must be the last segment');
      return { kind: 'greedy', name: param[1] };
    }
    if (/[{}]/.test(part)) throw invalidRoute(route, `invalid path segment "${part}"`);
    return { kind: 'static', value: part };
  });
  const names = segments.flatMap((s) => (s.kind === 'static' ? [] : [s.name]));
  if (new Set(names).size !== names.length) throw invalidRoute(route, 'a path variable name is used twice');
  return segments;
}

function invalidRoute(route: Route, reason: string): FlintError {
  return new FlintError('INVALID_PARAMETER', `Invalid route key "${route.routeKey}": ${reason}`, { routeKey: route.routeKey });
}

/** Two routes conflict when they would match exactly the same requests, whatever their variables are called. */
function rejectConflicts(compiled: CompiledRoute[]): void {
  const seen = new Map<string, Route>();
  for (const entry of compiled) {
    const shape = entry.segments.map((s) => (s.kind === 'static' ? s.value : s.kind === 'param' ? '{}' : '{+}')).join('/');
    const key = `${entry.method ?? '$default'} /${shape}`;
    const other = seen.get(key);
    if (other) {
      throw new FlintError('ROUTE_CONFLICT', `Routes "${other.routeKey}" (${other.functionName}) and "${entry.route.routeKey}" (${entry.route.functionName}) match the same requests`, {
        routeKey: entry.route.routeKey,
        functions: [other.functionName, entry.route.functionName],
      });
    }
    seen.set(key, entry.route);
  }
}

/**
 * API Gateway's order: $default last; a full match before a greedy one; then, segment by segment from the left,
 * a literal before a variable before a greedy variable; a method-specific route before ANY.
 */
function bySpecificity(a: CompiledRoute, b: CompiledRoute): number {
  if ((a.method === undefined) !== (b.method === undefined)) return a.method === undefined ? 1 : -1;
  if (a.greedy !== b.greedy) return a.greedy ? 1 : -1;
  const shared = Math.min(a.segments.length, b.segments.length);
  for (let i = 0; i < shared; i++) {
    const diff = RANK[(a.segments[i] as Segment).kind] - RANK[(b.segments[i] as Segment).kind];
    if (diff !== 0) return diff;
  }
  if ((a.method === 'ANY') !== (b.method === 'ANY')) return a.method === 'ANY' ? 1 : -1;
  return 0;
}

function matchFirst(ordered: CompiledRoute[], method: string, path: string): RouteMatch | undefined {
  if (!path.startsWith('/')) return undefined;
  // "/a/" splits into ["a", ""]: a trailing slash is an extra, empty segment, so "/a/" is not "/a".
  const parts = path.slice(1).split('/');
  for (const entry of ordered) {
    if (entry.method !== undefined && entry.method !== 'ANY' && entry.method !== method) continue;
    const pathParameters = matchSegments(entry, parts);
    if (pathParameters) return { route: entry.route, pathParameters };
  }
  return undefined;
}

function matchSegments(entry: CompiledRoute, parts: string[]): Record<string, string> | undefined {
  if (entry.method === undefined) return {};
  if (entry.segments.length === 0) return parts.length === 1 && parts[0] === '' ? {} : undefined;
  const fixed = entry.greedy ? entry.segments.length - 1 : entry.segments.length;
  if (entry.greedy ? parts.length <= fixed : parts.length !== fixed) return undefined;
  const params: [string, string][] = [];
  for (let i = 0; i < fixed; i++) {
    const segment = entry.segments[i] as Segment;
    const value = decodePathPart(parts[i] as string);
    if (segment.kind === 'static') {
      if (value !== segment.value) return undefined;
    } else {
      if (value === '') return undefined;
      params.push([segment.name, value]);
    }
  }
  const last = entry.segments.at(-1);
  if (entry.greedy && last?.kind === 'greedy') params.push([last.name, decodePathPart(parts.slice(fixed).join('/'))]);
  return Object.fromEntries(params);
}

/** Percent-decodes a path part; a malformed escape is kept as sent rather than failing the request. */
export function decodePathPart(raw: string): string {
  if (!raw.includes('%')) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
