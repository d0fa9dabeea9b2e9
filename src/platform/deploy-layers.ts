/**
 * An app's layers at deploy: each layer of the manifest becomes a Lambda layer version, a new one only when its
 * zip, runtimes or description changed since the layer's newest version; functions then name layer version ARNs.
 */
import { FlintError } from '../core/index.js';
import { sha256Hex, type FunctionRegistry } from '../functions/index.js';
import type { AppSpec, FunctionSpec } from '../manifest/index.js';

export interface DeployedLayerReport {
  name: string;
  arn: string;
  version: number;
  changed: boolean;
}

/** Publishes what changed; returns each layer's version ARN by its manifest name. */
export async function publishAppLayers(registry: FunctionRegistry, spec: AppSpec, packages: Record<string, Uint8Array> | undefined): Promise<DeployedLayerReport[]> {
  const reports: DeployedLayerReport[] = [];
  for (const layer of spec.layers ?? []) {
    const zip = packages?.[layer.name];
    if (!zip) throw new FlintError('INVALID_REQUEST', `no package for layer '${layer.name}'`);
    const newest = (await registry.layers.listVersions(layer.name, { maxItems: 1 })).items[0];
    const same =
      newest !== undefined &&
      newest.codeSha256 === sha256Hex(zip) &&
      newest.description === layer.description &&
      JSON.stringify(newest.compatibleRuntimes) === JSON.stringify(layer.runtimes);
    const version = same
      ? newest
      : await registry.layers.publish({ name: layer.name, zip, description: layer.description, compatibleRuntimes: layer.runtimes, app: spec.name });
    reports.push({ name: layer.name, arn: registry.layers.arn(layer.name, version.version), version: version.version, changed: !same });
  }
  return reports;
}

/** A function's layers as ARNs: names of the app's layers become the version just deployed. */
export function functionLayerArns(fn: FunctionSpec, layers: readonly DeployedLayerReport[]): string[] {
  return (fn.layers ?? []).map((entry) => {
    if (entry.startsWith('arn:')) return entry;
    const deployed = layers.find((l) => l.name === entry);
    if (!deployed) throw new FlintError('INVALID_REQUEST', `function '${fn.name}' names layer '${entry}', which the app does not declare`);
    return deployed.arn;
  });
}
