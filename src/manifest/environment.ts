/** Lambda's rules for environment variable names: its key pattern, minus the names the runtime sets itself. */
export const ENV_KEY_PATTERN = /^[a-zA-Z]([a-zA-Z0-9_])+$/;

/** As listed under "Reserved environment variables" in the Lambda developer guide. */
const RESERVED_KEYS: ReadonlySet<string> = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);

/** Covers AWS_LAMBDA_FUNCTION_NAME, AWS_LAMBDA_RUNTIME_API, AWS_LAMBDA_LOG_GROUP_NAME and the rest. */
const RESERVED_PREFIX = 'AWS_LAMBDA_';

export function isReservedEnvKey(key: string): boolean {
  return RESERVED_KEYS.has(key) || key.startsWith(RESERVED_PREFIX);
}
