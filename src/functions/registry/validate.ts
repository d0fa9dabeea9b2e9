import { isLambdaRuntime, LAMBDA_RUNTIME_IDS, LIMITS, RESERVED_ENV_KEYS, runtimeInfo } from '../../core/index.js';
import { constraintViolation, invalid } from './errors.js';
import type { FunctionSettings } from './types.js';

/** Settings with every field decided, as stored in a FunctionConfig. */
export interface CompleteSettings {
  runtime: string;
  handler: string;
  memorySize: number;
  timeout: number;
  ephemeralStorage: number;
  environment: Record<string, string>;
  description: string;
  role: string;
  /** Set as a key even when undefined, so writing settings over a config clears a removed target. */
  deadLetterTargetArn?: string;
}

const ENV_KEY = /^[a-zA-Z][a-zA-Z0-9_]+$/;
const ENV_MAX_BYTES = 4096;
const HANDLER = /^[^\s]+$/;
const HANDLER_MAX = 128;
const DESCRIPTION_MAX = 256;
const DEAD_LETTER = /^arn:aws[a-zA-Z-]*:(sqs|sns):[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]+$/;
const ROLE = /^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/;

/** Merges `input` over `base` (or Lambda's defaults) and checks the result the way Lambda does. */
export function completeSettings(input: Partial<FunctionSettings>, base: CompleteSettings | undefined, defaultRole: string): CompleteSettings {
  const settings: CompleteSettings = {
    runtime: input.runtime ?? base?.runtime ?? '',
    handler: input.handler ?? base?.handler ?? '',
    memorySize: input.memorySize ?? base?.memorySize ?? LIMITS.memoryMb.default,
    timeout: input.timeout ?? base?.timeout ?? LIMITS.timeoutSeconds.default,
    ephemeralStorage: input.ephemeralStorage ?? base?.ephemeralStorage ?? LIMITS.ephemeralMb.default,
    environment: { ...(input.environment ?? base?.environment ?? {}) },
    description: input.description ?? base?.description ?? '',
    role: input.role ?? base?.role ?? defaultRole,
    deadLetterTargetArn: deadLetterOf(input.deadLetterTargetArn, base?.deadLetterTargetArn),
  };
  validateSettings(settings);
  return settings;
}

/** A given target replaces the current one and '' removes it. */
function deadLetterOf(given: string | undefined, current: string | undefined): string | undefined {
  if (given === undefined) return current;
  return given === '' ? undefined : given;
}

function validateSettings(s: CompleteSettings): void {
  // A runtime Flint runs, or one Lambda accepts that Flint has no launcher for (it fails when invoked, not here).
  const family = runtimeInfo(s.runtime)?.family;
  if (!family && !isLambdaRuntime(s.runtime)) {
    throw invalid(
      `Value ${s.runtime} at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [${LAMBDA_RUNTIME_IDS.join(', ')}] or be a valid ARN`,
      'value',
      { field: 'runtime' },
    );
  }
  if (s.handler === '' && family !== 'provided') throw invalid(`A handler is required for runtime ${s.runtime}`, 'value', { field: 'handler' });
  if (s.handler !== '') checkHandler(s.handler);
  checkRange('memorySize', s.memorySize, LIMITS.memoryMb);
  checkRange('timeout', s.timeout, LIMITS.timeoutSeconds);
  checkRange('ephemeralStorage.size', s.ephemeralStorage, LIMITS.ephemeralMb);
  if (s.description.length > DESCRIPTION_MAX) {
    throw constraintViolation('description', s.description, `Member must have length less than or equal to ${DESCRIPTION_MAX}`);
  }
  if (!ROLE.test(s.role)) throw constraintViolation('role', s.role, `Member must satisfy regular expression pattern: ${ROLE.source.slice(1, -1)}`);
  checkEnvironment(s.environment);
  if (s.deadLetterTargetArn !== undefined) checkDeadLetter(s.deadLetterTargetArn);
}

/** Lambda sends failed asynchronous events to an SQS queue or an SNS topic, nothing else. */
function checkDeadLetter(arn: string): void {
  if (!arn.startsWith('arn:')) throw invalid("Invalid dead letter queue ARN: ARNs must start with 'arn:'", 'value', { field: 'deadLetterConfig.targetArn' });
  if (!DEAD_LETTER.test(arn)) {
    throw invalid(`Invalid dead letter queue ARN: ${arn} is neither an SQS queue nor an SNS topic`, 'value', { field: 'deadLetterConfig.targetArn' });
  }
}

function checkHandler(handler: string): void {
  if (handler.length > HANDLER_MAX) throw constraintViolation('handler', handler, `Member must have length less than or equal to ${HANDLER_MAX}`);
  if (!HANDLER.test(handler)) throw constraintViolation('handler', handler, 'Member must satisfy regular expression pattern: [^\\s]+');
}

function checkRange(field: string, value: number, range: { min: number; max: number }): void {
  if (!Number.isInteger(value)) throw constraintViolation(field, value, 'Member must be an integer');
  if (value < range.min) throw constraintViolation(field, value, `Member must have value greater than or equal to ${range.min}`);
  if (value > range.max) throw constraintViolation(field, value, `Member must have value less than or equal to ${range.max}`);
}

function checkEnvironment(environment: Record<string, string>): void {
  const reserved = Object.keys(environment).filter((k) => RESERVED_ENV_KEYS.has(k));
  if (reserved.length > 0) {
    throw invalid(
      `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`,
      'value',
      { field: 'environment', keys: reserved },
    );
  }
  for (const [key, value] of Object.entries(environment)) {
    if (!ENV_KEY.test(key)) {
      // Lambda leaves the value out of this one message; the key goes into details instead.
      throw invalid(
        "1 validation error detected: Value at 'environment.variables' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]",
        'validation',
        { field: 'environment.variables', key },
      );
    }
    if (typeof value !== 'string') throw invalid(`Environment variable ${key} must be a string`, 'value', { field: 'environment' });
  }
  const measured = JSON.stringify(environment);
  if (Buffer.byteLength(measured) > ENV_MAX_BYTES) {
    throw invalid(
      `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${measured}`,
      'value',
      { field: 'environment' },
    );
  }
}
