/**
 * A value against the spec's type for it, as CloudFormation validates properties before it creates anything:
 * property names are case-sensitive, required ones must be there, nested property types are checked all the way
 * down, and an intrinsic function may stand in for any value (what it names is checked in intrinsics.ts).
 * Scalars convert as CloudFormation converts them: a number or boolean is accepted where a string is expected,
 * and "128" or "true" where a number or boolean is
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resources-section-structure.html#resource-properties).
 */
import type { SpecDatabase, SpecProperty, SpecType, SpecTypeDefinition } from './database.js';
import { SAM_ADDITIONS, SAM_OPTIONAL, SAM_PASS_THROUGH } from './sam.js';

export interface Finding {
  /** Where in the template, e.g. `Resources.HelloFunction.Properties.Events.Api1.Properties.Method`. */
  path: string;
  message: string;
}

/** Which resource type a value belongs to: nested property type names are only unique within one. */
export interface TypeScope {
  db: SpecDatabase;
  resourceType: string;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{ Ref: … }` or `{ "Fn::…": … }`: a single key naming an intrinsic function. */
export function isIntrinsic(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'));
}

export function propertyTypes(property: SpecProperty): SpecType {
  return property.previousTypes?.length ? { type: 'union', types: [property.type, ...property.previousTypes] } : property.type;
}

export function checkValue(value: unknown, type: SpecType, path: string, scope: TypeScope): Finding[] {
  if (isIntrinsic(value)) return [];
  const wrong = (expected: string): Finding[] => [{ path, message: `expected ${expected}, got ${describeValue(value)}` }];
  switch (type.type) {
    case 'string':
    case 'date-time':
      if (!isScalar(value)) return wrong('a string');
      if (type.type === 'string' && type.allowedValues && typeof value === 'string' && !type.allowedValues.includes(value)) {
        return [{ path, message: `'${value}' is not one of ${type.allowedValues.join(', ')}` }];
      }
      return [];
    case 'number':
    case 'integer': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n !== 'number' || Number.isNaN(n)) return wrong(`a number`);
      return type.type === 'integer' && !Number.isInteger(n) ? wrong('an integer') : [];
    }
    case 'boolean':
      return typeof value === 'boolean' || value === 'true' || value === 'false' ? [] : wrong('a boolean');
    case 'json':
      return value === undefined || value === null ? wrong('a JSON value') : [];
    case 'null':
      return value === null ? [] : wrong('null');
    case 'tag':
      return checkProperties(value, { Key: { type: { type: 'string' }, required: true }, Value: { type: { type: 'string' }, required: true } }, 'Tag', path, scope);
    case 'array':
      if (!Array.isArray(value)) return wrong(`a list of ${describeType(type.element, scope)}`);
      return value.flatMap((item, i) => checkValue(item, type.element, `${path}[${i}]`, scope));
    case 'map':
      if (!isPlainObject(value)) return wrong(`a map of ${describeType(type.element, scope)}`);
      return Object.entries(value).flatMap(([key, item]) => checkValue(item, type.element, `${path}.${key}`, scope));
    case 'ref':
      return checkDefinition(value, scope.db.typeDefinition(type.reference.$ref), path, scope);
    case 'union':
      return checkUnion(value, type.types, path, scope);
  }
}

/** A value of a union type is good when one member takes it; otherwise the closest member's complaints. */
function checkUnion(value: unknown, members: SpecType[], path: string, scope: TypeScope): Finding[] {
  const results = members.map((member) => ({ member, findings: checkValue(value, member, path, scope) }));
  if (results.some((r) => r.findings.length === 0)) return [];
  // An object against the object members: the closest one says most precisely what is wrong.
  const shaped = results.filter((r) => isPlainObject(value) && r.member.type === 'ref');
  if (shaped.length > 0) return shaped.reduce((best, r) => (r.findings.length < best.findings.length ? r : best)).findings;
  return [{ path, message: `expected ${members.map((m) => describeType(m, scope)).join(' or ')}, got ${describeValue(value)}` }];
}

export function checkDefinition(value: unknown, definition: SpecTypeDefinition, path: string, scope: TypeScope): Finding[] {
  const key = `${scope.resourceType}/${definition.name}`;
  const properties = withSamCorrections(definition.properties, key, scope.db);
  return checkProperties(value, properties, definition.name, path, scope);
}

/** The spec's properties, with what SAM documents beyond it (sam.ts) for SAM's types. */
export function withSamCorrections(properties: Record<string, SpecProperty>, key: string, db: SpecDatabase): Record<string, SpecProperty> {
  const optional = SAM_OPTIONAL[key] ?? [];
  const corrected = Object.fromEntries(Object.entries(properties).map(([name, p]) => [name, optional.includes(name) ? { ...p, required: false } : p]));
  const passedThrough = Object.entries(SAM_PASS_THROUGH[key] ?? {}).map(([name, [resourceType, typeName]]) => {
    const resource = db.resource(resourceType);
    const definition = resource && db.typeOf(resource, typeName);
    if (!definition) throw new Error(`the spec has no ${resourceType} ${typeName}`);
    return [name, { type: { type: 'ref', reference: { $ref: definition.$id } } } satisfies SpecProperty];
  });
  return { ...corrected, ...SAM_ADDITIONS[key], ...Object.fromEntries(passedThrough) };
}

/** An object of a property type: known names only (case-sensitive), required ones present, each value its type. */
export function checkProperties(value: unknown, properties: Record<string, SpecProperty>, typeName: string, path: string, scope: TypeScope, present: string[] = []): Finding[] {
  if (!isPlainObject(value)) return [{ path, message: `expected ${typeName} (an object), got ${describeValue(value)}` }];
  const findings: Finding[] = [];
  for (const [name, item] of Object.entries(value)) {
    const property = properties[name];
    if (!property) {
      const near = Object.keys(properties).find((known) => known.toLowerCase() === name.toLowerCase());
      findings.push({ path: `${path}.${name}`, message: `unknown property '${name}' of ${typeName}${near ? ` (did you mean '${near}'?)` : ''}` });
      continue;
    }
    findings.push(...checkValue(item, propertyTypes(property), `${path}.${name}`, scope));
  }
  for (const [name, property] of Object.entries(properties)) {
    if (property.required && !(name in value) && !present.includes(name)) findings.push({ path, message: `${typeName} is missing required property '${name}'` });
  }
  return findings;
}

function isScalar(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (isPlainObject(value)) return `an object (${Object.keys(value).slice(0, 3).join(', ') || 'empty'})`;
  return `${typeof value} ${JSON.stringify(value)}`;
}

function describeType(type: SpecType, scope: TypeScope): string {
  switch (type.type) {
    case 'ref':
      return scope.db.typeDefinition(type.reference.$ref).name;
    case 'array':
      return `a list of ${describeType(type.element, scope)}`;
    case 'map':
      return `a map of ${describeType(type.element, scope)}`;
    case 'union':
      return type.types.map((t) => describeType(t, scope)).join(' or ');
    default:
      return type.type;
  }
}
