import type { FunctionTargets } from '../events/index.js';
import type { FunctionRegistry, RegistryEvent } from '../functions/index.js';
import type { Invoker } from '../invoker/index.js';
import type { Provisioning } from './provisioning.js';

export interface ChangeParts {
  registry: FunctionRegistry;
  targets: FunctionTargets;
  invoker: Invoker;
  provisioning: Provisioning;
}

/**
 * Keeps the running node in line with the registry: cached targets are dropped, reservations applied,
 * instances of replaced code retired (in-flight requests finish on it), provisioned instances moved.
 */
export async function onRegistryChange(event: RegistryEvent, { registry, targets, invoker, provisioning }: ChangeParts): Promise<void> {
  const name = event.functionName;
  targets.forget(name);
  if (event.type === 'concurrency') {
    invoker.limits.setReserved(name, await registry.getReservedConcurrency(name).catch(() => undefined));
    return;
  }
  if (event.type === 'deleted' && event.version === '$LATEST') invoker.retire(name);
  else if (event.type !== 'provisioned' && (event.version === '$LATEST' || /^\d+$/.test(event.version))) {
    if (event.type === 'deleted') invoker.retire(name, event.version);
    else await targets.resolve(name, event.version).then((t) => invoker.retire(name, event.version, t.key), () => invoker.retire(name, event.version));
  }
  await provisioning.sync(name);
}

export async function loadReservations(registry: FunctionRegistry, invoker: Invoker): Promise<void> {
  for (const [name, reserved] of await registry.listReservedConcurrency()) invoker.limits.setReserved(name, reserved);
}
