/** The `functions.<name>` part of flint.yaml: one Lambda function and the events that trigger it. */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { LIMITS, RUNTIME_IDS, runtimeInfo } from '../core/index.js';
import { ENV_KEY_PATTERN, isReservedEnvKey } from './environment.js';
import { ALWAYS, addMissing, intAtLeast, intIn, isRecord, namePattern, strictObject } from './fields.js';
import { DEFAULT_ROUTE, HTTP_METHODS, SHORTHAND_PATTERN, parseShorthand, pathProblem } from './routes.js';
import { scheduleProblem } from './schedule.js';
import { routeAuth } from './schema-api-auth.js';
import { functionUrlSchema } from './schema-url.js';
import { asyncSettings, dynamodbEvent, s3Event, snsEvent, sqsEvent } from './schema-events.js';
import { functionLayers } from './schema-layers.js';
import { eventBridgeEvent } from './schema-streams.js';
import { policiesField, roleField } from './roles.js';

export const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
export const API_NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** "file.export" or "module.function"; a folder path may come before the last dot. */
const HANDLER = /^(?![./])[A-Za-z0-9_\-./]*[A-Za-z0-9_-]\.[A-Za-z_$][A-Za-z0-9_$]*$/;

const routeShorthand = z
  .string()
  .superRefine((text, ctx) => {
    const result = parseShorthand(text);
    if (!result.ok) ctx.addIssue({ code: 'custom', message: result.message });
  })
  .meta({ pattern: SHORTHAND_PATTERN, description: 'A route such as "GET /users/{id}", or "$default" for the catch-all route.' });

const routeObject = strictObject({
  method: z.enum(HTTP_METHODS).optional().meta({ description: 'Required unless path is "$default".' }),
  path: z.string().meta({ description: 'Starts with "/"; {name} segments and a final {name+} are parameters; or "$default".' }),
  api: namePattern(API_NAME, 'an API name').optional().meta({ description: 'The API this route belongs to; default "default".' }),
  auth: routeAuth.optional(),
}).superRefine((route, ctx) => {
  if (route.path === DEFAULT_ROUTE) {
    if (route.method !== undefined && route.method !== 'ANY') ctx.addIssue({ code: 'custom', path: ['method'], message: `the ${DEFAULT_ROUTE} route matches every method; leave out method or use ANY` });
    return;
  }
  if (route.method === undefined) return addMissing(ctx, ['method']);
  const problem = pathProblem(route.path);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', path: ['path'], message: problem });
});

export const httpEvent = z.union([routeShorthand, routeObject], {
  error: `expected "METHOD /path", "${DEFAULT_ROUTE}" or a map with method, path and api`,
});

const scheduleEvent = z
  .string({ error: 'expected a schedule expression such as rate(5 minutes) or cron(0 12 * * ? *)' })
  .superRefine((expression, ctx) => {
    const problem = scheduleProblem(expression);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({ pattern: '^(rate|cron)\\(.*\\)$', description: 'rate(N minute|minutes|hour|hours|day|days) or cron(minutes hours day-of-month month day-of-week year).' });

const EVENT_TYPES = ['http', 'schedule', 'sqs', 'sns', 's3', 'dynamodb', 'eventBridge'] as const;

const event = strictObject(
  {
    http: httpEvent.optional(),
    schedule: scheduleEvent.optional(),
    sqs: sqsEvent.optional(),
    sns: snsEvent.optional(),
    s3: s3Event.optional(),
    dynamodb: dynamodbEvent.optional(),
    eventBridge: eventBridgeEvent.optional(),
  },
  { noun: 'event type', expected: 'expected an event such as { http: GET /path }' },
)
  .superRefine((value: unknown, ctx) => {
    if (!isRecord(value)) return;
    const keys = Object.keys(value);
    const types = keys.filter((key) => (EVENT_TYPES as readonly string[]).includes(key));
    if (types.length === 0 && keys.length === 0) ctx.addIssue({ code: 'custom', message: `expected an event: one of ${EVENT_TYPES.join(', ')}` });
    if (types.length > 1) ctx.addIssue({ code: 'custom', message: `an event has one type; put ${types.join(' and ')} in separate list items` });
  }, ALWAYS)
  .meta({ minProperties: 1, maxProperties: 1 });

const environmentKey = namePattern(ENV_KEY_PATTERN, 'a variable name').refine((key) => !isReservedEnvKey(key), {
  error: (issue) => `${String(issue.input)} is reserved by Lambda and cannot be set`,
});

/** YAML users write `PORT: 80`; numbers and booleans become their source text. */
const environmentValue = z.union([z.string(), z.number(), z.boolean()], { error: 'expected a string, number or boolean' });

/** A folder of code, or a ready .zip package (shipped as it is, as Lambda accepts one). */
function codeFolder(baseDir: string | undefined) {
  return z.string({ error: 'expected a folder path or a .zip file' }).superRefine((code, ctx) => {
    if (baseDir === undefined) return;
    const problem = codeProblem(resolve(baseDir, code));
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `code ${JSON.stringify(code)} ${problem}` });
  });
}

function codeProblem(path: string): string | undefined {
  try {
    const stat = statSync(path);
    if (stat.isDirectory() || (stat.isFile() && path.endsWith('.zip'))) return undefined;
    return `is neither a folder nor a .zip file (${path})`;
  } catch {
    return `does not exist (${path})`;
  }
}

export function functionSchema(baseDir: string | undefined) {
  return strictObject({
    runtime: z.enum(RUNTIME_IDS, { error: `expected a runtime, one of ${RUNTIME_IDS.join(', ')}` })
      .meta({ description: 'Lambda runtime identifier.' }),
    handler: z.string({ error: 'expected a handler string' }).min(1, { error: 'expected a handler' }).optional()
      .meta({ description: '"file.export" (nodejs) or "module.function" (python); optional for provided runtimes.' }),
    code: codeFolder(baseDir).default('.').meta({ description: 'Folder of the function code, relative to flint.yaml.' }),
    memory: intIn(LIMITS.memoryMb.min, LIMITS.memoryMb.max).default(LIMITS.memoryMb.default).meta({ description: 'Memory in MB.' }),
    timeout: intIn(LIMITS.timeoutSeconds.min, LIMITS.timeoutSeconds.max).default(LIMITS.timeoutSeconds.default).meta({ description: 'Timeout in seconds.' }),
    ephemeralStorage: intIn(LIMITS.ephemeralMb.min, LIMITS.ephemeralMb.max).default(LIMITS.ephemeralMb.default).meta({ description: '/tmp size in MB.' }),
    environment: z.record(environmentKey, environmentValue, { error: 'expected a map of variable names to values' }).default({}),
    reservedConcurrency: intIn(0, LIMITS.accountConcurrency).optional(),
    provisionedConcurrency: intAtLeast(0).optional(),
    description: z.string({ error: 'expected a string' }).max(256, { error: 'expected at most 256 characters' }).default(''),
    bundle: z.boolean({ error: 'expected true or false' }).optional()
      .meta({ default: true, description: 'nodejs only: bundle with esbuild at deploy; false ships the folder as it is.' }),
    external: z.array(z.string({ error: 'expected a package name' }).min(1), { error: 'expected a list of package names' }).optional()
      .meta({ description: 'nodejs only: packages left out of the bundle.' }),
    events: z.array(event, { error: 'expected a list of events' }).default([]),
    url: functionUrlSchema.optional(),
    async: asyncSettings.optional().meta({ description: 'Asynchronous invocations: retries, maximum age, destinations, dead-letter target.' }),
    layers: functionLayers.optional(),
    role: roleField.optional(),
    policies: policiesField.optional(),
  }).superRefine((fn: unknown, ctx) => {
    if (isRecord(fn)) checkRuntimeRules(fn, ctx);
  }, ALWAYS);
}

/** Rules that depend on the runtime family; run on the raw map so they show up beside other problems. */
function checkRuntimeRules(fn: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const family = typeof fn.runtime === 'string' ? runtimeInfo(fn.runtime)?.family : undefined;
  if (family === 'nodejs' || family === 'python') {
    if (fn.handler === undefined) addMissing(ctx, ['handler']);
    else if (typeof fn.handler === 'string' && fn.handler !== '' && !HANDLER.test(fn.handler)) {
      const shape = family === 'nodejs' ? '"file.export" such as "src/index.handler"' : '"module.function" such as "app.handler"';
      ctx.addIssue({ code: 'custom', path: ['handler'], message: `expected ${shape}, got ${JSON.stringify(fn.handler)}` });
    }
  }
  if (family !== undefined && family !== 'nodejs') {
    for (const key of ['bundle', 'external']) {
      if (fn[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: `'${key}' applies only to nodejs runtimes, not ${String(fn.runtime)}` });
    }
  }
  if (fn.role !== undefined && fn.policies !== undefined) ctx.addIssue({ code: 'custom', path: ['policies'], message: 'a function has role or policies, not both: policies make its own role' });
  const { reservedConcurrency: reserved, provisionedConcurrency: provisioned } = fn;
  if (typeof reserved === 'number' && typeof provisioned === 'number' && provisioned > reserved) {
    ctx.addIssue({ code: 'custom', path: ['provisionedConcurrency'], message: `provisioned concurrency ${provisioned} exceeds reserved concurrency ${reserved}` });
  }
}
