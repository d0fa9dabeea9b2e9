/**
 * The zod schema of flint.yaml: the single description of the file format, used both to validate manifests
 * and to publish the JSON Schema editors read.
 */
import { basename } from 'node:path';
import { z } from 'zod';
import { ALWAYS, isRecord, namePattern, strictObject } from './fields.js';
import { API_NAME, FUNCTION_NAME, functionSchema, httpEvent } from './schema-function.js';
import { corsSettings } from './schema-cors.js';
import { resourcesSchema } from './schema-resources.js';
import { authorizersSchema, checkApiAuth, routeAuth, stageName } from './schema-api-auth.js';
import { checkWebSocketReferences, websocketsSchema } from './schema-websockets.js';
import { checkLayerReferences, layersSchema } from './schema-layers.js';
import { checkReferences } from './references.js';
import { FlintError } from '../core/index.js';
import { DEFAULT_ROUTE, buildRoute, defaultRoute, parseShorthand, routeSignature, type Route, type RouteResult } from './routes.js';

export const APP_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const DEFAULT_API = 'default';

const apiSettings = strictObject({
  payload: z.literal(['2.0', '1.0', 2, 1], { error: 'expected "2.0" (HTTP API payload) or "1.0" (REST API payload)' }).optional()
    .meta({ default: '2.0', description: 'Event payload format version.' }),
  cors: z.union([z.boolean(), corsSettings], { error: 'expected true, false or a map of CORS settings' }).optional()
    .meta({ description: 'true allows every origin, method and header.' }),
  stage: stageName.optional(),
  authorizers: authorizersSchema.optional(),
  auth: routeAuth.optional().meta({ description: 'The auth of routes that name none (default none).' }),
}).nullable();

export interface SchemaOptions {
  /** Folder of flint.yaml: enables the checks that need the disk (code folders, default app name). */
  baseDir?: string;
}

export function manifestSchema(options: SchemaOptions = {}) {
  return strictObject({
    app: namePattern(APP_NAME, 'an app name').optional().meta({ description: 'Default: the folder name, lowercased.' }),
    functions: z.record(namePattern(FUNCTION_NAME, 'a function name'), functionSchema(options.baseDir), { error: 'expected a map of function names to functions' })
      .refine((all) => Object.keys(all).length > 0, { error: 'expected at least one function' }),
    apis: z.record(namePattern(API_NAME, 'an API name'), apiSettings, { error: 'expected a map of API names to settings' }).optional()
      .meta({ description: 'Settings per API; an API exists for every api name used by http events.' }),
    resources: resourcesSchema.optional(),
    websockets: websocketsSchema.optional(),
    layers: layersSchema(options.baseDir).optional(),
  }, { expected: "expected a map with at least a 'functions' field" }).superRefine((manifest: unknown, ctx) => {
    if (!isRecord(manifest)) return;
    checkAppName(manifest, options.baseDir, ctx);
    checkRouteConflicts(manifest, ctx);
    checkReferences(manifest, ctx);
    checkApiAuth(manifest, ctx);
    checkWebSocketReferences(manifest, ctx);
    checkLayerReferences(manifest, ctx);
  }, ALWAYS);
}

export type ManifestInput = z.output<ReturnType<typeof manifestSchema>>;

function checkAppName(manifest: Record<string, unknown>, baseDir: string | undefined, ctx: z.RefinementCtx): void {
  if (manifest.app !== undefined || baseDir === undefined) return;
  const folder = basename(baseDir);
  if (!APP_NAME.test(folder.toLowerCase())) {
    ctx.addIssue({ code: 'custom', path: ['app'], message: `the folder name ${JSON.stringify(folder)} is not a valid app name; set app: to a name matching ${APP_NAME.source}` });
  }
}

export interface HttpEventRoute {
  api: string;
  route: Route;
}

/** The route an already validated http event declares. */
export function routeOfHttpEvent(http: z.output<typeof httpEvent>): HttpEventRoute {
  const api = typeof http === 'string' ? DEFAULT_API : (http.api ?? DEFAULT_API);
  const result: RouteResult = typeof http === 'string'
    ? parseShorthand(http)
    : http.path === DEFAULT_ROUTE ? { ok: true, route: defaultRoute() } : buildRoute(http.method ?? 'ANY', http.path);
  if (!result.ok) throw new FlintError('INTERNAL', `a validated http event does not parse: ${result.message}`);
  return { api, route: result.route };
}

/** Runs on the raw manifest, skipping whatever is invalid, so conflicts show up beside other problems. */
function checkRouteConflicts(manifest: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const claimed = new Map<string, string>();
  for (const { functionName, index, http } of httpEvents(manifest)) {
    const parsed = httpEvent.safeParse(http);
    if (!parsed.success) continue;
    const { api, route } = routeOfHttpEvent(parsed.data);
    const signature = `${api}\n${routeSignature(route)}`;
    const owner = claimed.get(signature);
    if (owner === undefined) {
      claimed.set(signature, functionName);
      continue;
    }
    const message = owner === functionName
      ? `route ${JSON.stringify(route.routeKey)} in API '${api}' is declared twice by function '${functionName}'`
      : `route ${JSON.stringify(route.routeKey)} in API '${api}' is claimed by both functions '${owner}' and '${functionName}'`;
    ctx.addIssue({ code: 'custom', path: ['functions', functionName, 'events', index, 'http'], message });
  }
}

function* httpEvents(manifest: Record<string, unknown>): Generator<{ functionName: string; index: number; http: unknown }> {
  if (!isRecord(manifest.functions)) return;
  for (const [functionName, fn] of Object.entries(manifest.functions)) {
    if (!isRecord(fn) || !Array.isArray(fn.events)) continue;
    for (const [index, event] of fn.events.entries()) {
      if (isRecord(event) && event.http !== undefined) yield { functionName, index, http: event.http };
    }
  }
}
