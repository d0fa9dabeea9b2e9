import { createHash, randomUUID } from 'node:crypto';
import type { Clock } from '../../core/index.js';
import { functionArn, type ArnScope } from './arn.js';
import type { CodeStore } from './code.js';
import { functionNotFound, revisionMismatch } from './errors.js';
import type { KeyedLock } from './lock.js';
import type { FunctionRecord, RegistryRecords, Stored } from './records.js';
import type { FunctionConfig, RegistryEvent } from './types.js';

/** What the registry's parts share: storage, time, randomness, the per-function lock and the event fan-out. */
export interface RegistryContext {
  records: RegistryRecords;
  code: CodeStore;
  clock: Clock;
  scope: ArnScope;
  random: () => number;
  lock: KeyedLock;
  emit(event: RegistryEvent): void;
}

export function arnOf(ctx: RegistryContext, name: string, qualifier?: string): string {
  return functionArn(ctx.scope, name, qualifier);
}

export function newRevisionId(): string {
  return randomUUID();
}

export async function requireFunction(ctx: RegistryContext, name: string): Promise<Stored<FunctionRecord>> {
  const found = await ctx.records.getFunction(name);
  if (!found) throw functionNotFound(arnOf(ctx, name));
  return found;
}

export function checkRevision(expected: string | undefined, actual: string, resource: string): void {
  if (expected !== undefined && expected !== actual) throw revisionMismatch(resource);
}

/** Identifies what $LATEST serves (code and every setting), independent of when or how often it was written. */
export function contentFingerprint(config: FunctionConfig): string {
  const environment = Object.entries(config.environment).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const content = [
    config.runtime,
    config.handler,
    config.memorySize,
    config.timeout,
    config.ephemeralStorage,
    environment,
    config.description,
    config.role,
    config.codeSha256,
    // Only when set, so functions without one keep the fingerprints they had before the field existed.
    ...(config.deadLetterTargetArn !== undefined ? [config.deadLetterTargetArn] : []),
    ...(config.layers !== undefined && config.layers.length > 0 ? [config.layers.map((l) => `${l.name}:${l.version}:${l.codeSha256}`)] : []),
  ];
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}
