import { runtimeInfo } from '../core/index.js';
import type { InstanceConfig, InstanceCredentials, RuntimeHostOptions } from './types.js';

/**
 * Lambda's reserved environment variables for one instance, plus AWS_ENDPOINT_URL so the AWS SDK inside the
 * function reaches Flint's services. User variables come first so reserved ones always win, as on Lambda.
 */
export function lambdaEnvironment(config: InstanceConfig, host: RuntimeHostOptions, extra: { taskRoot: string; runtimeApi?: string; logStreamName: string; credentials?: InstanceCredentials }): Record<string, string> {
  const credentials = extra.credentials ?? host.credentials;
  const family = runtimeInfo(config.runtime)?.family;
  const env: Record<string, string> = {
    ...config.environment,
    ...baseEnvironment(),
    _HANDLER: config.handler,
    AWS_REGION: host.region,
    AWS_DEFAULT_REGION: host.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${config.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: config.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(config.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: config.version,
    AWS_LAMBDA_INITIALIZATION_TYPE: config.initType ?? 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${config.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: extra.logStreamName,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    LAMBDA_TASK_ROOT: extra.taskRoot,
    LAMBDA_RUNTIME_DIR: extra.taskRoot,
    AWS_ENDPOINT_URL: host.endpointUrl,
  };
  if (credentials.sessionToken) env.AWS_SESSION_TOKEN = credentials.sessionToken;
  if (extra.runtimeApi) env.AWS_LAMBDA_RUNTIME_API = extra.runtimeApi;
  if (family === 'python') env.PYTHONUNBUFFERED = '1';
  return env;
}

/** What every runtime process gets before it knows its function (a stem cell starts with only this). */
export function baseEnvironment(): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', LANG: 'en_US.UTF-8', TZ: ':UTC' };
}

/** Lambda's stream name: `2026/01/01/[$LATEST]0123456789abcdef0123456789abcdef`. */
export function logStreamName(now: number, version: string, instanceId: string): string {
  const day = new Date(now).toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[${version}]${instanceId.padEnd(32, '0').slice(0, 32)}`;
}
