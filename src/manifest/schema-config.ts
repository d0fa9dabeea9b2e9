/**
 * The configuration an app declares under `resources`: SSM parameters (`resources.parameters`) and Secrets Manager
 * secrets (`resources.secrets`), created at deploy.
 */
import { z } from 'zod';
import { ALWAYS, isRecord, namePattern, strictObject } from './fields.js';

/** An SSM parameter name: "/a/b/c" (up to 15 levels) or a plain name; letters, digits and `.-_` (SSM's rules). */
export const PARAMETER_NAME = /^(\/[A-Za-z0-9_.-]+){1,15}$|^[A-Za-z0-9_.-]{1,1011}$/;
/** A secret name: up to 512 of letters, digits and `/_+=.@!-` (Secrets Manager's rules). */
export const SECRET_NAME = /^[A-Za-z0-9/_+=.@!-]{1,512}$/;
export const PARAMETER_TYPES = ['String', 'StringList', 'SecureString'] as const;

const text = (what: string) => z.string({ error: `expected ${what} (quote numbers and booleans: '8080')` });

const parameter = strictObject({
  type: z.enum(PARAMETER_TYPES, { error: 'expected String, StringList or SecureString' }),
  value: text('the value as text').min(1, { error: 'expected a value of at least one character' }),
  description: text('a description').max(1024).optional(),
});

const secret = strictObject({
  value: text('the secret value as text').optional().meta({ description: 'The value of the secret (AWSCURRENT).' }),
  generate: z.literal(true, { error: 'expected true' }).optional().meta({ description: 'Generate a 32-character password as the value, once.' }),
  description: text('a description').max(2048).optional(),
})
  .nullable()
  .superRefine((value, ctx) => {
    if (value?.value !== undefined && value.generate) ctx.addIssue({ code: 'custom', path: ['generate'], message: 'give either value or generate: true, not both' });
  });

export const parametersSchema = z
  .record(namePattern(PARAMETER_NAME, 'a parameter name'), parameter, { error: 'expected a map of parameter names to { type, value }' })
  .superRefine((all: unknown, ctx) => {
    if (!isRecord(all)) return;
    for (const name of Object.keys(all)) {
      // SSM refuses names whose first level starts with "aws" or "ssm" (any case).
      if (/^\/?(aws|ssm)/i.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: `a parameter name cannot start with "aws" or "ssm": '${name}'` });
    }
  }, ALWAYS);

export const secretsSchema = z.record(namePattern(SECRET_NAME, 'a secret name'), secret, { error: 'expected a map of secret names to { value } or { generate: true }' });
