/**
 * The admin API's request bodies, validated once here. A deploy carries the app spec the CLI already
 * validated from flint.yaml; the node checks its shape again because anything can call this endpoint.
 */
import { z } from 'zod';
import type { AppSpec } from '../../manifest/index.js';
import type { PreparedApp } from './types.js';

const key = z.object({ name: z.string(), type: z.enum(['S', 'N', 'B']) });

const destination = z.union([z.object({ type: z.enum(['queue', 'topic', 'function']), name: z.string() }), z.object({ type: z.literal('arn'), arn: z.string() })]);

const asyncSpec = z.object({
  maximumRetryAttempts: z.number().int().optional(),
  maximumEventAge: z.number().int().optional(),
  onSuccess: destination.optional(),
  onFailure: destination.optional(),
  deadLetter: destination.optional(),
});

const eventSource = z.discriminatedUnion('type', [
  z.object({ type: z.literal('sqs'), functionName: z.string(), queue: z.string(), batchSize: z.number().int(), batchingWindow: z.number(), reportBatchItemFailures: z.boolean() }),
  z.object({ type: z.literal('sns'), functionName: z.string(), topic: z.string() }),
  z.object({ type: z.literal('s3'), functionName: z.string(), bucket: z.string(), events: z.array(z.string()), prefix: z.string().optional(), suffix: z.string().optional() }),
  z.object({ type: z.literal('dynamodb'), functionName: z.string(), table: z.string(), startingPosition: z.enum(['TRIM_HORIZON', 'LATEST']), batchSize: z.number().int() }),
]);

/** CORS settings of an API or a function URL. */
const corsSpec = z.object({
  allowOrigins: z.array(z.string()),
  allowMethods: z.array(z.string()),
  allowHeaders: z.array(z.string()),
  exposeHeaders: z.array(z.string()),
  maxAge: z.number().int().optional(),
  allowCredentials: z.boolean(),
});

const appSpec = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
  dir: z.string(),
  file: z.string(),
  functions: z.array(
    z.object({
      name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
      runtime: z.string(),
      handler: z.string(),
      codeDir: z.string(),
      memorySize: z.number().int(),
      timeout: z.number().int(),
      ephemeralStorage: z.number().int(),
      environment: z.record(z.string(), z.string()),
      reservedConcurrency: z.number().int().min(0).optional(),
      provisionedConcurrency: z.number().int().min(0).optional(),
      description: z.string(),
      bundle: z.boolean(),
      external: z.array(z.string()),
      async: asyncSpec.optional(),
      layers: z.array(z.string()).optional(),
      url: z.object({ authType: z.enum(['NONE', 'AWS_IAM']), invokeMode: z.enum(['BUFFERED', 'RESPONSE_STREAM']), cors: corsSpec.optional() }).optional(),
    }),
  ),
  apis: z.array(
    z.object({
      name: z.string(),
      payloadVersion: z.enum(['1.0', '2.0']),
      cors: corsSpec.optional(),
      routes: z.array(z.object({ routeKey: z.string(), method: z.string(), path: z.string(), functionName: z.string() })),
    }),
  ),
  schedules: z.array(z.object({ functionName: z.string(), expression: z.string() })),
  eventSources: z.array(eventSource).optional(),
  resources: z.object({
    tables: z.array(z.object({ name: z.string(), hashKey: key, rangeKey: key.optional() })),
    buckets: z.array(z.object({ name: z.string() })),
    queues: z.array(
      z.object({
        name: z.string(),
        fifo: z.boolean(),
        visibilityTimeout: z.number().int(),
        deadLetter: z.object({ queue: z.string(), maxReceiveCount: z.number().int() }).optional(),
      }),
    ),
    topics: z.array(z.object({ name: z.string() })),
    // Absent from a CLI older than resources.parameters and resources.secrets.
    parameters: z.array(z.object({ name: z.string(), type: z.enum(['String', 'StringList', 'SecureString']), value: z.string(), description: z.string().optional() })).default([]),
    secrets: z.array(z.object({ name: z.string(), value: z.string().optional(), generate: z.boolean(), description: z.string().optional() })).default([]),
  }),
  websockets: z
    .array(
      z.object({
        name: z.string(),
        stage: z.string(),
        routeSelection: z.string(),
        routes: z.array(z.object({ routeKey: z.string(), functionName: z.string(), routeResponse: z.boolean() })),
      }),
    )
    .optional(),
  layers: z.array(z.object({ name: z.string().regex(/^[A-Za-z0-9_-]{1,140}$/), path: z.string(), runtimes: z.array(z.string()), description: z.string() })).optional(),
}) satisfies z.ZodType<AppSpec>;

const preparedApp = z.object({
  spec: appSpec,
  packages: z.record(z.string(), z.string()),
  layers: z.record(z.string(), z.string()).optional(),
  sdkPackages: z.array(z.string().regex(/^@aws-sdk\/[a-z0-9][a-z0-9._-]*$/)).optional(),
});

export function encodePreparedApp(app: PreparedApp): string {
  const base64 = (zips: Record<string, Uint8Array>) => Object.fromEntries(Object.entries(zips).map(([name, zip]) => [name, Buffer.from(zip).toString('base64')]));
  return JSON.stringify({ spec: app.spec, packages: base64(app.packages), ...(app.layers ? { layers: base64(app.layers) } : {}), sdkPackages: app.sdkPackages });
}

/** Returns the app, or a list of problems ("spec.functions.0.memorySize: expected number"). */
export function decodePreparedApp(body: string): { app: PreparedApp } | { problems: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    return { problems: [`body is not JSON: ${(error as Error).message}`] };
  }
  const parsed = preparedApp.safeParse(json);
  if (!parsed.success) return { problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
  const bytes = (zips: Record<string, string>) => Object.fromEntries(Object.entries(zips).map(([name, b64]) => [name, new Uint8Array(Buffer.from(b64, 'base64'))]));
  const layers = parsed.data.layers;
  return { app: { spec: parsed.data.spec, packages: bytes(parsed.data.packages), ...(layers ? { layers: bytes(layers) } : {}), sdkPackages: parsed.data.sdkPackages } };
}
