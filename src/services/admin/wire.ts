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
    }),
  ),
  apis: z.array(
    z.object({
      name: z.string(),
      payloadVersion: z.enum(['1.0', '2.0']),
      cors: z
        .object({
          allowOrigins: z.array(z.string()),
          allowMethods: z.array(z.string()),
          allowHeaders: z.array(z.string()),
          exposeHeaders: z.array(z.string()),
          maxAge: z.number().int().optional(),
          allowCredentials: z.boolean(),
        })
        .optional(),
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
  }),
}) satisfies z.ZodType<AppSpec>;

const preparedApp = z.object({ spec: appSpec, packages: z.record(z.string(), z.string()), sdkPackages: z.array(z.string().regex(/^@aws-sdk\/[a-z0-9][a-z0-9._-]*$/)).optional() });

export function encodePreparedApp(app: PreparedApp): string {
  const packages = Object.fromEntries(Object.entries(app.packages).map(([name, zip]) => [name, Buffer.from(zip).toString('base64')]));
  return JSON.stringify({ spec: app.spec, packages, sdkPackages: app.sdkPackages });
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
  const packages = Object.fromEntries(Object.entries(parsed.data.packages).map(([name, b64]) => [name, new Uint8Array(Buffer.from(b64, 'base64'))]));
  return { app: { spec: parsed.data.spec, packages, sdkPackages: parsed.data.sdkPackages } };
}
