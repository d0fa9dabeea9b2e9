/**
 * AWS's published resource specification (@aws-cdk/aws-service-spec): the CloudFormation registry schema of every
 * resource type and the SAM resource types, with their properties, nested property types and attributes. Read
 * once per test process (gunzip + one JSON parse, about half a second) and indexed by type name.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gunzipSync } from 'node:zlib';

/** A property's type as the spec writes it (service-spec-types' GenericPropertyType). */
export type SpecType =
  | { type: 'string'; allowedValues?: string[] }
  | { type: 'integer'; allowedValues?: number[] }
  | { type: 'number' | 'boolean' | 'json' | 'date-time' | 'null' | 'tag' }
  | { type: 'ref'; reference: { $ref: string } }
  | { type: 'array' | 'map'; element: SpecType }
  | { type: 'union'; types: SpecType[] };

export interface SpecProperty {
  type: SpecType;
  previousTypes?: SpecType[];
  required?: boolean;
}

export interface SpecResource {
  $id: string;
  cloudFormationType: string;
  properties: Record<string, SpecProperty>;
  attributes: Record<string, unknown>;
}

export interface SpecTypeDefinition {
  $id: string;
  name: string;
  properties: Record<string, SpecProperty>;
}

interface RawDatabase {
  schema: {
    resource: { entities: Record<string, SpecResource> };
    typeDefinition: { entities: Record<string, SpecTypeDefinition> };
    usesType: { forward: Record<string, Array<{ $id: string }>> };
  };
}

export interface SpecDatabase {
  resource(cloudFormationType: string): SpecResource | undefined;
  typeDefinition(id: string): SpecTypeDefinition;
  /** A property type used by a resource, by its name in the spec (`SQSEvent` of AWS::Serverless::Function). */
  typeOf(resource: SpecResource, name: string): SpecTypeDefinition | undefined;
}

function load(): SpecDatabase {
  const file = createRequire(import.meta.url).resolve('@aws-cdk/aws-service-spec/db.json.gz');
  const raw = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as RawDatabase;
  const resources = new Map(Object.values(raw.schema.resource.entities).map((r) => [r.cloudFormationType, r]));
  const types = new Map(Object.values(raw.schema.typeDefinition.entities).map((t) => [t.$id, t]));
  return {
    resource: (type) => resources.get(type),
    typeDefinition(id) {
      const found = types.get(id);
      if (!found) throw new Error(`the spec names type definition ${id} but does not hold it`);
      return found;
    },
    typeOf: (resource, name) => (raw.schema.usesType.forward[resource.$id] ?? []).map((u) => types.get(u.$id)).find((t) => t?.name === name),
  };
}

/** One database per test process: the file is 2.6 MB gzipped and every check reads it. */
const loaded: { db?: SpecDatabase } = {};

export function specDatabase(): SpecDatabase {
  loaded.db ??= load();
  return loaded.db;
}
