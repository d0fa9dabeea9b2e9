/**
 * A small structural JSON Schema checker covering the keywords the manifest schema uses, so a test can show
 * an example manifest validates without a full validator dependency.
 */
type Schema = Record<string, unknown>;

export function schemaErrors(schema: Schema, value: unknown, at = '$'): string[] {
  const errors: string[] = [];
  const fail = (what: string): number => errors.push(`${at}: ${what}`);
  if (schema.type !== undefined && !typeMatches(schema.type, value)) fail(`expected type ${JSON.stringify(schema.type)}`);
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) fail(`expected one of ${JSON.stringify(schema.enum)}`);
  if (Array.isArray(schema.anyOf) && !schema.anyOf.some((option) => schemaErrors(option as Schema, value, at).length === 0)) fail('matches no anyOf option');
  if (typeof value === 'string') errors.push(...stringErrors(schema, value, at));
  if (typeof value === 'number') errors.push(...numberErrors(schema, value, at));
  if (Array.isArray(value) && schema.items !== undefined) value.forEach((item, i) => errors.push(...schemaErrors(schema.items as Schema, item, `${at}[${i}]`)));
  if (isObject(value)) errors.push(...objectErrors(schema, value, at));
  return errors;
}

function typeMatches(type: unknown, value: unknown): boolean {
  const types = Array.isArray(type) ? type : [type];
  return types.some((t) => {
    if (t === 'integer') return Number.isInteger(value);
    if (t === 'null') return value === null;
    if (t === 'array') return Array.isArray(value);
    if (t === 'object') return isObject(value);
    return typeof value === t;
  });
}

function stringErrors(schema: Schema, value: string, at: string): string[] {
  const errors: string[] = [];
  if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) errors.push(`${at}: does not match ${schema.pattern}`);
  if (typeof schema.minLength === 'number' && value.length < schema.minLength) errors.push(`${at}: shorter than ${schema.minLength}`);
  if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) errors.push(`${at}: longer than ${schema.maxLength}`);
  return errors;
}

function numberErrors(schema: Schema, value: number, at: string): string[] {
  const errors: string[] = [];
  if (typeof schema.minimum === 'number' && value < schema.minimum) errors.push(`${at}: below ${schema.minimum}`);
  if (typeof schema.maximum === 'number' && value > schema.maximum) errors.push(`${at}: above ${schema.maximum}`);
  return errors;
}

function objectErrors(schema: Schema, value: Record<string, unknown>, at: string): string[] {
  const errors: string[] = [];
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const keys = Object.keys(value);
  for (const name of (schema.required ?? []) as string[]) if (!(name in value)) errors.push(`${at}: missing ${name}`);
  if (typeof schema.minProperties === 'number' && keys.length < schema.minProperties) errors.push(`${at}: too few properties`);
  if (typeof schema.maxProperties === 'number' && keys.length > schema.maxProperties) errors.push(`${at}: too many properties`);
  for (const key of keys) {
    if (schema.propertyNames !== undefined) errors.push(...schemaErrors(schema.propertyNames as Schema, key, `${at}.${key} (name)`));
    const own = properties[key];
    if (own !== undefined) errors.push(...schemaErrors(own, value[key], `${at}.${key}`));
    else if (schema.additionalProperties === false) errors.push(`${at}: unexpected property ${key}`);
    else if (isObject(schema.additionalProperties)) errors.push(...schemaErrors(schema.additionalProperties, value[key], `${at}.${key}`));
  }
  return errors;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
