/** CORS settings in flint.yaml, shared by HTTP APIs (`apis.<name>.cors`) and function URLs (`url.cors`). */
import { z } from 'zod';
import { intIn, strictObject } from './fields.js';
import { HTTP_METHODS } from './routes.js';

const CORS_METHODS = [...HTTP_METHODS.filter((m) => m !== 'ANY'), '*'] as const;
const stringList = (what: string) => z.array(z.string({ error: `expected ${what}` }).min(1), { error: `expected a list of ${what}s` });

export const corsSettings = strictObject({
  allowOrigins: stringList('an origin').optional(),
  allowMethods: z.array(z.enum(CORS_METHODS), { error: 'expected a list of methods' }).optional(),
  allowHeaders: stringList('a header name').optional(),
  exposeHeaders: stringList('a header name').optional(),
  maxAge: intIn(0, 86_400).optional().meta({ description: 'Seconds browsers may cache the preflight response.' }),
  allowCredentials: z.boolean({ error: 'expected true or false' }).optional(),
}).superRefine((cors, ctx) => {
  if (cors.allowCredentials === true && cors.allowOrigins?.includes('*')) {
    ctx.addIssue({ code: 'custom', path: ['allowCredentials'], message: "allowCredentials cannot be combined with the '*' origin; list the origins" });
  }
});

