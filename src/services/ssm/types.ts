import type { Tag } from './api.js';

export type ParameterType = 'String' | 'StringList' | 'SecureString';
export type Tier = 'Standard' | 'Advanced';

/** One version of a parameter, as PutParameter wrote it. */
export interface VersionRecord {
  version: number;
  value: string;
  type: ParameterType;
  /** SecureString only: the KMS key named (alias/aws/ssm by default); nothing is encrypted. */
  keyId?: string;
  description?: string;
  allowedPattern?: string;
  tier: Tier;
  dataType: string;
  labels: string[];
  /** Epoch ms. */
  modifiedAt: number;
  modifiedBy: string;
}

/** A parameter: its versions (the newest last, at most 100) and its tags. */
export interface ParameterRecord {
  name: string;
  versions: VersionRecord[];
  tags: Tag[];
}

export function latest(parameter: ParameterRecord): VersionRecord {
  return parameter.versions[parameter.versions.length - 1]!;
}

/** A Secrets Manager secret's current value, as Parameter Store reads it for a reference. */
export interface ReferencedSecret {
  arn: string;
  value: string;
  /** DescribeSecret's answer, as JSON: Parameter.SourceResult. */
  description: string;
  createdAt: number;
}

/** How Parameter Store reaches Secrets Manager (the node wires it; absent, references are not found). */
export interface SecretReferences {
  current(secretId: string): Promise<ReferencedSecret | undefined>;
}
