import type { RotationRulesType, Tag } from './api.js';

export const CURRENT = 'AWSCURRENT';
export const PREVIOUS = 'AWSPREVIOUS';
export const PENDING = 'AWSPENDING';

/** One version of a secret's value. A version with no stages is deprecated; a rotation's placeholder has no value yet. */
export interface VersionRecord {
  id: string;
  string?: string;
  /** Base64 of SecretBinary. */
  binary?: string;
  stages: string[];
  /** Epoch ms. */
  createdAt: number;
  accessedAt?: number;
}

export interface RotationRecord {
  enabled: boolean;
  lambdaArn?: string;
  rules?: RotationRulesType;
  lastRotatedAt?: number;
}

export interface SecretRecord {
  name: string;
  arn: string;
  description?: string;
  kmsKeyId?: string;
  tags: Tag[];
  createdAt: number;
  changedAt: number;
  accessedAt?: number;
  /** When DeleteSecret was called; the secret is gone for good at `deletionDate`. */
  deletedAt?: number;
  deletionDate?: number;
  rotation?: RotationRecord;
  /** Oldest first. */
  versions: VersionRecord[];
}

export function hasValue(version: VersionRecord): boolean {
  return version.string !== undefined || version.binary !== undefined;
}
