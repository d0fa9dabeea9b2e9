/**
 * The `websockets` part of flint.yaml: API Gateway WebSocket APIs, each a route selection expression and routes
 * (`$connect`, `$disconnect`, `$default` and route keys) naming functions of the app.
 */
import { z } from 'zod';
import { isRecord, namePattern, strictObject } from './fields.js';
import { API_NAME, FUNCTION_NAME } from './schema-function.js';

/** `$request.body.<path>`, the form API Gateway accepts for WebSocket APIs (a dotted path into the JSON body). */
export const WEBSOCKET_ROUTE_SELECTION = /^\$request\.body\.[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/;
export const DEFAULT_WEBSOCKET_ROUTE_SELECTION = '$request.body.action';
export const DEFAULT_WEBSOCKET_STAGE = 'production';
/** The predefined route keys; other keys starting with `$` are reserved by API Gateway. */
export const PREDEFINED_ROUTE_KEYS = ['$connect', '$disconnect', '$default'] as const;
const ROUTE_KEY = /^(\$connect|\$disconnect|\$default|[^$][^\s]{0,127})$/;
const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;

const functionName = namePattern(FUNCTION_NAME, 'a function name');

const routeTarget = z.union([
  functionName,
  strictObject({
    function: functionName,
    routeResponse: z.boolean({ error: 'expected true or false' }).optional()
      .meta({ default: false, description: "A two-way route: the function's response body is sent back to the client." }),
  }),
], { error: 'expected a function name, or a map with function and routeResponse' });

const websocketApi = strictObject({
  routeSelection: namePattern(WEBSOCKET_ROUTE_SELECTION, 'a route selection expression').optional()
    .meta({ default: DEFAULT_WEBSOCKET_ROUTE_SELECTION, description: 'Where in a JSON message the route key is: $request.body.<path>.' }),
  stage: namePattern(STAGE_NAME, 'a stage name').optional()
    .meta({ default: DEFAULT_WEBSOCKET_STAGE, description: 'The stage in the API URL and in events.' }),
  routes: z.record(namePattern(ROUTE_KEY, 'a route key ($connect, $disconnect, $default or your own)'), routeTarget, { error: 'expected a map of route keys to functions' })
    .refine((routes) => Object.keys(routes).length > 0, { error: 'expected at least one route' }),
});

export const websocketsSchema = z.record(namePattern(API_NAME, 'an API name'), websocketApi, { error: 'expected a map of WebSocket API names to APIs' })
  .meta({ description: 'API Gateway WebSocket APIs: routes chosen by a selection expression, each run by a function.' });

export type WebSocketsInput = z.output<typeof websocketsSchema>;

/** Every route names a function of this manifest. */
export function checkWebSocketReferences(manifest: Record<string, unknown>, ctx: z.RefinementCtx): void {
  if (!isRecord(manifest.websockets) || !isRecord(manifest.functions)) return;
  const declared = Object.keys(manifest.functions);
  for (const [apiName, api] of Object.entries(manifest.websockets)) {
    if (!isRecord(api) || !isRecord(api.routes)) continue;
    for (const [routeKey, target] of Object.entries(api.routes)) {
      const name = isRecord(target) ? target.function : target;
      if (typeof name !== 'string' || declared.includes(name)) continue;
      const path = ['websockets', apiName, 'routes', routeKey, ...(isRecord(target) ? ['function'] : [])];
      ctx.addIssue({ code: 'custom', path, message: `no function '${name}' in this manifest (declared: ${declared.join(', ')})` });
    }
  }
}
