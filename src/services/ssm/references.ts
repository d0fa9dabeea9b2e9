import type { Parameter } from './api.js';
import { ssmError, validation } from './errors.js';
import type { SsmContext } from './state.js';

/** Parameter Store names secrets of Secrets Manager under this path (AWS's documentation, "Referencing AWS Secrets Manager secrets"). */
export const SECRET_REFERENCE = '/aws/reference/secretsmanager/';

/**
 * GetParameter(s) of `/aws/reference/secretsmanager/<secret>`: the secret's AWSCURRENT value as a SecureString, with
 * the secret's ARN and DescribeSecret's answer in SourceResult (LocalStack's recording of AWS: test_ssm.py
 * test_get_secret_parameter). WithDecryption is required, in AWS's words.
 */
export async function referencedSecret(ctx: SsmContext, name: string, decrypt: boolean): Promise<Parameter> {
  if (!decrypt) throw validation('WithDecryption flag must be True for retrieving a Secret Manager secret.');
  const secret = await ctx.secrets?.current(name.slice(SECRET_REFERENCE.length));
  // The recorded message names the reference (test_get_inexistent_secret).
  if (!secret) throw ssmError('ParameterNotFound', `Secret ${name} not found.`);
  return { Name: name, Type: 'SecureString', Value: secret.value, Version: 0, SourceResult: secret.description, LastModifiedDate: new Date(secret.createdAt), ARN: secret.arn, DataType: 'text' };
}
