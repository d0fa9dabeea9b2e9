/** The JSON Schema of flint.yaml for editors (yaml-language-server), generated from the zod schema. */
import { z } from 'zod';
import { manifestSchema } from './schema.js';

export function manifestJsonSchema(): object {
  const generated = z.toJSONSchema(manifestSchema(), { target: 'draft-2020-12', io: 'input', override: closeMaps });
  const { $schema, ...rest } = generated;
  return { $schema, title: 'flint.yaml', description: 'A Flint app: functions, the events that trigger them, APIs and resources.', ...rest };
}

/**
 * The manifest's maps are zod loose objects (so unknown keys can be reported one by one, with suggestions);
 * for editors they are closed, which is what validation enforces.
 */
function closeMaps(context: { zodSchema: z.core.$ZodTypes; jsonSchema: z.core.JSONSchema.BaseSchema }): void {
  if (context.zodSchema._zod.def.type === 'object') context.jsonSchema.additionalProperties = false;
}
