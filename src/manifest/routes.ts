/**
 * HTTP route syntax as API Gateway HTTP APIs accept it: "METHOD /path" with `{name}` segments and an optional
 * final greedy `{name+}`, or the catch-all "$default".
 */
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'] as const;
export const DEFAULT_ROUTE = '$default';

export interface Route {
  routeKey: string;
  method: string;
  path: string;
}

export type RouteResult = { ok: true; route: Route } | { ok: false; message: string };

const PARAM = /^\{([A-Za-z0-9._-]+)(\+?)\}$/;
const LITERAL = /^[A-Za-z0-9._~:@!$&'()*+,;=-]+$/;
const SHORTHAND_HINT = `expected "METHOD /path" (METHOD one of ${HTTP_METHODS.join(', ')}) or "${DEFAULT_ROUTE}"`;

/** A loose pattern for editors; `parseShorthand` gives the precise verdict. */
export const SHORTHAND_PATTERN = `^(\\${DEFAULT_ROUTE}|(${HTTP_METHODS.join('|')}) /.*)$`;

export function defaultRoute(): Route {
  return { routeKey: DEFAULT_ROUTE, method: 'ANY', path: '' };
}

export function parseShorthand(text: string): RouteResult {
  const trimmed = text.trim();
  if (trimmed === DEFAULT_ROUTE) return { ok: true, route: defaultRoute() };
  const match = /^(\S+)\s+(\S+)$/.exec(trimmed);
  if (!match) return { ok: false, message: `${SHORTHAND_HINT}, got ${JSON.stringify(text)}` };
  return buildRoute(match[1] ?? '', match[2] ?? '');
}

export function buildRoute(method: string, path: string): RouteResult {
  if (!(HTTP_METHODS as readonly string[]).includes(method)) {
    return { ok: false, message: `expected a method, one of ${HTTP_METHODS.join(', ')}, got ${JSON.stringify(method)}` };
  }
  const problem = pathProblem(path);
  if (problem !== undefined) return { ok: false, message: problem };
  const normalised = normalisePath(path);
  return { ok: true, route: { routeKey: `${method} ${normalised}`, method, path: normalised } };
}

/** Why `path` is not a valid route path, or undefined when it is. */
export function pathProblem(path: string): string | undefined {
  if (!path.startsWith('/')) return `expected a path starting with "/", got ${JSON.stringify(path)}`;
  const segments = splitSegments(path);
  const seen = new Set<string>();
  for (const [index, segment] of segments.entries()) {
    if (segment === '') return `path ${JSON.stringify(path)} has an empty segment ("//")`;
    const param = PARAM.exec(segment);
    if (param) {
      const name = param[1] ?? '';
      if (param[2] === '+' && index !== segments.length - 1) return `greedy parameter {${name}+} must be the last segment of ${JSON.stringify(path)}`;
      if (seen.has(name)) return `path ${JSON.stringify(path)} uses parameter {${name}} twice`;
      seen.add(name);
    } else if (segment.includes('{') || segment.includes('}')) {
      return `path segment ${JSON.stringify(segment)} is not valid: a parameter must be a whole segment, {name} or a final {name+}`;
    } else if (!LITERAL.test(segment)) {
      return `path segment ${JSON.stringify(segment)} has characters a route path cannot hold`;
    }
  }
  return undefined;
}

/** Two routes conflict when they differ only in parameter names or a trailing slash. */
export function routeSignature(route: Route): string {
  if (route.routeKey === DEFAULT_ROUTE) return DEFAULT_ROUTE;
  const shape = splitSegments(route.path).map((segment) => {
    const param = PARAM.exec(segment);
    return param ? (param[2] === '+' ? '{+}' : '{}') : segment;
  });
  return `${route.method} /${shape.join('/')}`;
}

function normalisePath(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

function splitSegments(path: string): string[] {
  const inner = normalisePath(path).slice(1);
  return inner === '' ? [] : inner.split('/');
}
