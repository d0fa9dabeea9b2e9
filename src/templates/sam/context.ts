/** What the SAM translators share: the evaluated template, the document being built, and the unsupported list. */
import { TemplateError } from '../cloudformation/problems.js';
import type { TemplateStack } from '../cloudformation/stack.js';
import type { SamResources } from './model.js';

type Path = readonly PropertyKey[];

/** The flint.yaml-shaped document: see the manifest schema (src/manifest/schema*.ts) and the issue #13 contract. */
export interface AppDocument {
  app: string;
  functions: Record<string, Record<string, unknown>>;
  apis?: Record<string, Record<string, unknown> | null>;
  layers?: Record<string, Record<string, unknown>>;
  websockets?: Record<string, unknown>;
  resources?: Record<string, Record<string, unknown>>;
}

export class Translation {
  readonly document: AppDocument;
  readonly unsupported: string[] = [];
  /** Manifest path (joined with NUL) → template path it was made from, for locating problems. */
  readonly sources = new Map<string, Path>();
  /** APIs whose payload version a route has set (HttpApi PayloadFormatVersion). */
  readonly payloadSet = new Set<string>();
  /** Resources another construct has taken in (an IAM::Role a function uses, a permission). */
  readonly used = new Set<string>();

  constructor(
    readonly stack: TemplateStack,
    readonly model: SamResources,
    readonly target: { region: string; accountId: string },
    app: string,
  ) {
    this.document = { app, functions: {} };
  }

  /** One line of the after-deploy list: `Orders (AWS::Serverless::Function) Tracing: why`. */
  notHonoured(id: string, what: string, why: string): void {
    const type = this.model.typeOf(id);
    const line = `${id}${type === undefined ? '' : ` (${type})`} ${what}: ${why}`;
    if (!this.unsupported.includes(line)) this.unsupported.push(line);
  }

  source(documentPath: Path, templatePath: Path): void {
    this.sources.set(documentPath.map(String).join('\0'), templatePath);
  }

  /** The template path a manifest path came from: the longest recorded prefix, then the rest as written. */
  templatePathOf(documentPath: Path): { path: Path; exact: boolean } {
    for (let n = documentPath.length; n > 0; n--) {
      const found = this.sources.get(documentPath.slice(0, n).map(String).join('\0'));
      if (found !== undefined) return { path: found, exact: n === documentPath.length };
    }
    return { path: [], exact: false };
  }

  resourceSection(kind: string): Record<string, unknown> {
    this.document.resources ??= {};
    this.document.resources[kind] ??= {};
    return this.document.resources[kind];
  }

  /** The logical id and physical name of a template resource a value (name, ARN, URL) refers to. */
  refersTo(value: unknown, types: readonly string[]): { id: string; name: string } | undefined {
    const id = this.model.resourceOf(value);
    if (id === undefined) return undefined;
    const type = this.model.typeOf(id);
    if (type === undefined || !types.includes(type)) return undefined;
    return { id, name: this.model.name(id) };
  }
}

export const TABLE_TYPES = ['AWS::Serverless::SimpleTable', 'AWS::DynamoDB::Table'] as const;
export const FUNCTION_TYPES = ['AWS::Serverless::Function', 'AWS::Lambda::Function'] as const;
export const QUEUE_TYPES = ['AWS::SQS::Queue'] as const;
export const TOPIC_TYPES = ['AWS::SNS::Topic'] as const;
export const BUCKET_TYPES = ['AWS::S3::Bucket'] as const;
export const LAYER_TYPES = ['AWS::Serverless::LayerVersion', 'AWS::Lambda::LayerVersion'] as const;

export function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * A property CloudFormation takes as a JSON document or as a string of JSON (a queue's RedrivePolicy, a
 * subscription's FilterPolicy); a string that is not JSON is the template's problem at `path`, as CloudFormation
 * refuses it.
 */
export function jsonProperty(value: unknown, path: readonly PropertyKey[]): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch (error) {
    throw new TemplateError(path, `is a string that is not JSON (${(error as Error).message}): write it as a map or as valid JSON`);
  }
}

/** Template numbers and booleans are often strings ("30", "true"). */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  return undefined;
}

export function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return undefined;
}

/** Copies `from[key]` into `to[field]` through `convert` when present; returns the keys it read. */
export function copy(to: Record<string, unknown>, field: string, value: unknown, convert: (v: unknown) => unknown = (v) => v): void {
  if (value === undefined) return;
  const converted = convert(value);
  if (converted !== undefined) to[field] = converted;
}

/** Why a property has no effect on Flint, where there is more to say than that it has no equivalent. */
const REASONS: Record<string, string> = {
  Auth: 'only Lambda authorizers and AWS_IAM are run',
  Tracing: 'X-Ray traces are not recorded',
  VpcConfig: "functions reach this machine's network; there is no VPC",
  DefinitionBody: "OpenAPI definitions are not read: routes come from the functions' events",
  DefinitionUri: "OpenAPI definitions are not read: routes come from the functions' events",
  KmsKeyArn: 'environment variables are not encrypted with a key',
  FileSystemConfigs: 'EFS is not mounted',
  SnapStart: 'instances are not restored from snapshots (stem cells start them fast instead)',
  DeploymentPreference: 'no gradual deployment: a deploy replaces the function at once',
  LoggingConfig: 'logs go to /aws/lambda/<function> as text',
  Domain: 'no custom domain: APIs answer on the node',
};

export function whyNot(property: string): string {
  return REASONS[property] ?? 'no equivalent in Flint';
}
