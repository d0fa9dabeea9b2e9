/** The registry's typed records. These are internal shapes, not Lambda's wire format. */
import type { FunctionLayer } from './layer-types.js';

/** A function's configuration, as served: `$LATEST` or an immutable published version. */
export interface FunctionConfig {
  name: string;
  runtime: string;
  handler: string;
  memorySize: number;
  timeout: number;
  ephemeralStorage: number;
  environment: Record<string, string>;
  description: string;
  role: string;
  /** Lowercase hex SHA-256 of the code zip (Lambda shows it base64-encoded). */
  codeSha256: string;
  codeSize: number;
  /** Epoch ms of the last change. */
  lastModified: number;
  /** A UUID that changes on every update. */
  revisionId: string;
  /** '$LATEST', or '1', '2', ... for published versions. */
  version: string;
  /** The manifest app that deployed the function, when one did. */
  app?: string;
  /** DeadLetterConfig.TargetArn: the SQS queue or SNS topic that gets failed asynchronous events. */
  deadLetterTargetArn?: string;
  /** The layer versions the function uses, in order (absent when none). */
  layers?: FunctionLayer[];
}

/** The settings a caller chooses; everything else in FunctionConfig is derived. */
export interface FunctionSettings {
  runtime: string;
  /** Required for Node.js and Python; custom runtimes may leave it out. */
  handler?: string;
  memorySize?: number;
  timeout?: number;
  ephemeralStorage?: number;
  environment?: Record<string, string>;
  description?: string;
  /** An IAM role ARN; Flint does not assume roles, so a placeholder is made up when absent. */
  role?: string;
  /** An SQS queue or SNS topic ARN for failed asynchronous events; '' removes it in an update. */
  deadLetterTargetArn?: string;
  /** Layer version ARNs, in order; [] removes every layer in an update. */
  layers?: string[];
}

export interface CreateFunctionInput extends FunctionSettings {
  /** A name, partial ARN or unqualified ARN. */
  name: string;
  zip: Uint8Array;
  /** CreateFunction's Tags. */
  tags?: Record<string, string>;
  /** Also publish version 1 and return its configuration. */
  publish?: boolean;
  app?: string;
}

export interface DeployInput extends CreateFunctionInput {
  /** Set when a number, removed when absent: a manifest deploy states the whole truth. */
  reservedConcurrency?: number;
}

export type ConfigurationPatch = Partial<FunctionSettings>;

export interface RoutingConfig {
  /** At most one entry: version → share of traffic, 0..1. */
  additionalVersionWeights: Record<string, number>;
}

export interface AliasConfig {
  name: string;
  functionName: string;
  functionVersion: string;
  description: string;
  routingConfig?: RoutingConfig;
  revisionId: string;
}

export interface CreateAliasInput {
  name: string;
  functionVersion: string;
  description?: string;
  routingConfig?: RoutingConfig;
}

export interface UpdateAliasInput {
  functionVersion?: string;
  description?: string;
  /** null or an empty map removes the routing configuration. */
  routingConfig?: RoutingConfig | null;
  revisionId?: string;
}

export interface ResolvedTarget {
  functionName: string;
  /** The version that will run: '$LATEST' or a number (an alias picks one). */
  version: string;
  /** The qualifier as given, or '$LATEST'. */
  qualifier: string;
  /** The invoked function ARN: unqualified when no qualifier was given, as Lambda passes it in the context. */
  arn: string;
  config: FunctionConfig;
  /** Changes whenever the code or configuration served for this target changes. */
  key: string;
}

/**
 * 'updated' and 'deleted' concern code or configuration being served: `version` is '$LATEST', a number, or an
 * alias name (aliases are never all digits, so the two cannot be confused). 'concurrency' reports a change of the
 * function's reserved concurrency (version '$LATEST'). Events fire on the node that made the change.
 */
export interface RegistryEvent {
  type: 'updated' | 'deleted' | 'concurrency' | 'provisioned';
  functionName: string;
  version: string;
}

export interface Page<T> {
  items: T[];
  nextMarker?: string;
}

export interface ListOptions {
  marker?: string;
  /** 1..10000, default 50. */
  maxItems?: number;
}

/**
 * One statement of a resource-based policy, as AddPermission was given it; the Lambda API renders it as IAM JSON
 * (with the caller's ARNs), so the record stays free of wire format and region.
 */
export interface PermissionStatement {
  sid: string;
  action: string;
  principal: string;
  sourceArn?: string;
  sourceAccount?: string;
  eventSourceToken?: string;
  principalOrgId?: string;
  functionUrlAuthType?: string;
  invokedViaFunctionUrl?: boolean;
}

/** The resource-based policy of a function, a version or an alias: its statements in the order they were added. */
export interface FunctionPolicy {
  statements: PermissionStatement[];
  /** Changes on every AddPermission and RemovePermission. */
  revisionId: string;
}
