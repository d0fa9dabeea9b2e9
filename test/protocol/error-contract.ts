import { expect } from 'vitest';
import type { ServiceModel } from '../../src/protocol/index.js';

/**
 * The error contract check each service runs: every error type the service can send is an error shape of its model,
 * or one of the framework errors AWS's servers raise before an operation runs (listed with the service, each with
 * the reason it is not in the model).
 */
export function expectErrorsInModel(model: ServiceModel, types: readonly string[], framework: Readonly<Record<string, string>> = {}): void {
  const modelled = new Set(model.errorShapes());
  const outside = types.filter((type) => !modelled.has(type) && framework[type] === undefined);
  expect(outside, `error types that are neither in the ${model.metadata.serviceId} model nor listed as framework errors`).toEqual([]);
  for (const [type, reason] of Object.entries(framework)) {
    expect(modelled.has(type), `${type} is in the model; it needs no framework entry`).toBe(false);
    expect(reason.length, `${type} needs a reason`).toBeGreaterThan(0);
  }
}
