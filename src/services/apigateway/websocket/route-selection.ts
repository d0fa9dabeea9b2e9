/**
 * Route selection for WebSocket APIs: the expression `$request.body.<path>` names a member of the message's JSON
 * body; its value is the route key. A body that is not JSON, a missing member, or a value no route has goes to
 * `$default` (https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-develop-routes.html).
 */

import { DEFAULT_WEBSOCKET_ROUTE_SELECTION, WEBSOCKET_ROUTE_SELECTION } from '../../../manifest/index.js';

/** `$request.body.action`, `$request.body.message.type`: a dotted path of member names. */
export const ROUTE_SELECTION_PATTERN = WEBSOCKET_ROUTE_SELECTION;
export const DEFAULT_ROUTE_SELECTION = DEFAULT_WEBSOCKET_ROUTE_SELECTION;

/** The members the expression walks, or undefined when it is not of the supported form. */
export function selectionPath(expression: string): string[] | undefined {
  if (!ROUTE_SELECTION_PATTERN.test(expression)) return undefined;
  return expression.slice('$request.body.'.length).split('.');
}

/**
 * The route key a message selects: the value at the expression's path when it is a route of the API, otherwise
 * `$default` when the API has one, otherwise undefined (AWS answers the client "Forbidden").
 */
export function selectRoute(path: readonly string[], body: string | undefined, routeKeys: ReadonlySet<string>): string | undefined {
  const key = body === undefined ? undefined : valueAt(path, body);
  if (key !== undefined && routeKeys.has(key) && !key.startsWith('$')) return key;
  return routeKeys.has('$default') ? '$default' : undefined;
}

function valueAt(path: readonly string[], body: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  for (const name of path) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[name];
  }
  // A number or boolean selects the route spelled the same way (AWS evaluates the expression to text).
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
