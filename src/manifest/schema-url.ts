/** A function's `url:` in flint.yaml: its Lambda function URL, created at deploy. */
import { z } from 'zod';
import { strictObject } from './fields.js';
import { corsSettings } from './schema-cors.js';

export const functionUrlSchema = strictObject({
  authType: z.enum(['NONE', 'AWS_IAM'], { error: 'expected NONE (public) or AWS_IAM (SigV4-signed callers only)' })
    .meta({ description: 'NONE: anyone may call the URL (deploy adds the resource policy Lambda requires); AWS_IAM: SigV4-signed requests only.' }),
  cors: corsSettings.optional().meta({ description: "CORS answered by the URL itself: preflights, and headers on the function's responses." }),
  invokeMode: z.enum(['BUFFERED', 'RESPONSE_STREAM'], { error: 'expected BUFFERED or RESPONSE_STREAM' }).optional()
    .meta({ default: 'BUFFERED', description: 'RESPONSE_STREAM sends what an awslambda.streamifyResponse handler writes as it writes it.' }),
}).meta({ description: "The function's URL: https://<url-id>.lambda-url.<region>.on.aws/ on Lambda; on Flint, printed after deploy." });
