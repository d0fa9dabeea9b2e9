import { createHash } from 'node:crypto';
import { functionArn, layerVersionArn, type AliasConfig, type ArnScope, type FunctionConfig } from '../../functions/index.js';
import type { AliasConfiguration, FunctionConfiguration } from './api.js';

/** The registry's records as Lambda's output shapes; the kit writes them. */

/** Lambda's timestamp format: "2026-11-27T12:00:00.000+0000". */
export function lambdaDate(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/Z$/, '+0000');
}

/** The registry keeps SHA-256 digests in hex; Lambda shows them base64-encoded. */
export function hexToBase64(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}

/** The hex digest a base64 CodeSha256 names, or undefined when it is not a base64 SHA-256. */
export function base64ToHex(base64: string): string | undefined {
  const bytes = Buffer.from(base64, 'base64');
  return bytes.length === 32 && bytes.toString('base64') === base64 ? bytes.toString('hex') : undefined;
}

/** Code runs on this machine's CPU, so that is the architecture Flint reports. */
export function hostArchitecture(): string {
  return process.arch === 'arm64' ? 'arm64' : 'x86_64';
}

export interface ConfigurationView {
  /** Qualifies FunctionArn (a version, $LATEST or an alias name); an unqualified ARN when absent. */
  arnQualifier?: string;
  /** List operations leave out the state fields and the runtime version, as Lambda's do. */
  list?: boolean;
}

/** A FunctionConfiguration, field for field (and in Lambda's order) as Lambda returns it. */
export function functionConfiguration(config: FunctionConfig, scope: ArnScope, view: ConfigurationView = {}): FunctionConfiguration {
  const out: FunctionConfiguration = {
    FunctionName: config.name,
    FunctionArn: functionArn(scope, config.name, view.arnQualifier),
    Runtime: config.runtime,
    Role: config.role,
    ...(config.handler !== '' ? { Handler: config.handler } : {}),
    CodeSize: config.codeSize,
    Description: config.description,
    Timeout: config.timeout,
    MemorySize: config.memorySize,
    LastModified: lambdaDate(config.lastModified),
    CodeSha256: hexToBase64(config.codeSha256),
    Version: config.version,
    ...(config.deadLetterTargetArn !== undefined ? { DeadLetterConfig: { TargetArn: config.deadLetterTargetArn } } : {}),
    ...(Object.keys(config.environment).length > 0 ? { Environment: { Variables: config.environment } } : {}),
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: config.revisionId,
    ...(config.layers !== undefined && config.layers.length > 0
      ? { Layers: config.layers.map((l) => ({ Arn: layerVersionArn(scope, l.name, l.version), CodeSize: l.codeSize })) }
      : {}),
  };
  if (!view.list) Object.assign(out, { State: 'Active', LastUpdateStatus: 'Successful' });
  Object.assign(out, {
    PackageType: 'Zip',
    Architectures: [hostArchitecture()],
    EphemeralStorage: { Size: config.ephemeralStorage },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
  });
  if (!view.list) out.RuntimeVersionConfig = { RuntimeVersionArn: runtimeVersionArn(scope.region, config.runtime) };
  out.LoggingConfig = { LogFormat: 'Text', LogGroup: `/aws/lambda/${config.name}` };
  return out;
}

/**
 * Lambda names the runtime build a function runs on by a SHA-256; Flint has one build per runtime identifier, so
 * the digest of the identifier stands in for it and stays stable across restarts.
 */
function runtimeVersionArn(region: string, runtime: string): string {
  return `arn:aws:lambda:${region}::runtime:${createHash('sha256').update(`flint:${runtime}`).digest('hex')}`;
}

export function aliasConfiguration(alias: AliasConfig, scope: ArnScope): AliasConfiguration {
  const weights = alias.routingConfig?.additionalVersionWeights;
  return {
    AliasArn: functionArn(scope, alias.functionName, alias.name),
    Name: alias.name,
    FunctionVersion: alias.functionVersion,
    Description: alias.description,
    ...(weights && Object.keys(weights).length > 0 ? { RoutingConfig: { AdditionalVersionWeights: weights } } : {}),
    RevisionId: alias.revisionId,
  };
}
