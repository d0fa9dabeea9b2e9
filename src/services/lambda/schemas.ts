import { z } from 'zod';
import type { BufferedRequest } from '../../core/index.js';
import { unparsableBody, validationFailed } from './errors.js';

/**
 * Request bodies, checked once here for presence and type; ranges, patterns and cross-field rules are the
 * registry's, which words them as Lambda does. Fields Flint has no use for (VpcConfig, TracingConfig, KMSKeyArn...)
 * pass through unread.
 */

const environment = z.object({ Variables: z.record(z.string(), z.string()).optional() });
const routingConfig = z.object({ AdditionalVersionWeights: z.record(z.string(), z.number()).optional() });
const deadLetterConfig = z.object({ TargetArn: z.string().optional() });

const codeSource = {
  ZipFile: z.string().optional(),
  S3Bucket: z.string().optional(),
  S3Key: z.string().optional(),
  S3ObjectVersion: z.string().optional(),
  ImageUri: z.string().optional(),
};

export const createFunctionBody = z.object({
  FunctionName: z.string(),
  Role: z.string(),
  Code: z.object(codeSource),
  Runtime: z.string().optional(),
  Handler: z.string().optional(),
  Description: z.string().optional(),
  Timeout: z.number().optional(),
  MemorySize: z.number().optional(),
  Publish: z.boolean().optional(),
  PackageType: z.string().optional(),
  Environment: environment.optional(),
  EphemeralStorage: z.object({ Size: z.number() }).optional(),
  Architectures: z.array(z.string()).optional(),
  Layers: z.array(z.string()).optional(),
  Tags: z.record(z.string(), z.string()).optional(),
  DeadLetterConfig: deadLetterConfig.optional(),
});

export const updateFunctionCodeBody = z.object({
  ...codeSource,
  Publish: z.boolean().optional(),
  DryRun: z.boolean().optional(),
  RevisionId: z.string().optional(),
  Architectures: z.array(z.string()).optional(),
});

export const updateFunctionConfigurationBody = z.object({
  Role: z.string().optional(),
  Handler: z.string().optional(),
  Description: z.string().optional(),
  Timeout: z.number().optional(),
  MemorySize: z.number().optional(),
  Environment: environment.optional(),
  Runtime: z.string().optional(),
  EphemeralStorage: z.object({ Size: z.number() }).optional(),
  RevisionId: z.string().optional(),
  Layers: z.array(z.string()).optional(),
  DeadLetterConfig: deadLetterConfig.optional(),
});

export const publishVersionBody = z.object({
  CodeSha256: z.string().optional(),
  Description: z.string().optional(),
  RevisionId: z.string().optional(),
});

export const createAliasBody = z.object({
  Name: z.string(),
  FunctionVersion: z.string(),
  Description: z.string().optional(),
  RoutingConfig: routingConfig.optional(),
});

export const updateAliasBody = z.object({
  FunctionVersion: z.string().optional(),
  Description: z.string().optional(),
  RoutingConfig: routingConfig.optional(),
  RevisionId: z.string().optional(),
});

export const putConcurrencyBody = z.object({ ReservedConcurrentExecutions: z.number() });

export const putProvisionedBody = z.object({ ProvisionedConcurrentExecutions: z.number() });

export type CreateFunctionBody = z.infer<typeof createFunctionBody>;
export type UpdateFunctionCodeBody = z.infer<typeof updateFunctionCodeBody>;
export type UpdateFunctionConfigurationBody = z.infer<typeof updateFunctionConfigurationBody>;
export type CodeSource = Pick<CreateFunctionBody['Code'], keyof typeof codeSource>;

/** Parses a JSON request body against a schema; an empty body counts as `{}` (the CLI sends none for some calls). */
export function parseBody<T extends z.ZodType>(req: BufferedRequest, schema: T): z.infer<T> {
  const data = parseJson(req.body);
  const result = schema.safeParse(data);
  if (!result.success) throw validationFailed(result.error.issues.map((issue) => describeIssue(issue, data)));
  return result.data;
}

function parseJson(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') return {};
  try {
    // A null member means "not given" in AWS's JSON protocols.
    return JSON.parse(text, (_key, value: unknown) => (value === null ? undefined : value));
  } catch (error) {
    throw unparsableBody(error instanceof Error ? error.message : String(error));
  }
}

function describeIssue(issue: z.core.$ZodIssue, data: unknown): string {
  const field = issue.path.map((key) => (typeof key === 'string' ? key.charAt(0).toLowerCase() + key.slice(1) : String(key))).join('.');
  const value = valueAt(data, issue.path);
  if (value === undefined) return `Value null at '${field}' failed to satisfy constraint: Member must not be null`;
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  const constraint = issue.code === 'invalid_type' ? `Member must be of type ${issue.expected}` : issue.message;
  return `Value '${shown}' at '${field || 'body'}' failed to satisfy constraint: ${constraint}`;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let current = data;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
