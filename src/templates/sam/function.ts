/**
 * AWS::Serverless::Function (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-function.html)
 * → a flint.yaml function: code, runtime and settings, events, asynchronous settings, layers, and the role's policies.
 */
import { extname } from 'node:path';
import { destinationOf, translateEvent } from './events.js';
import { asNumber, copy, isMap, LAYER_TYPES, whyNot, type Translation } from './context.js';
import type { TemplateResource } from './model.js';
import { BASIC_EXECUTION_ROLE, expandPolicies, type PolicyEntry } from './policies.js';
import { rolePolicies } from './roles.js';

/** Properties that change nothing a function does on one machine (tags, deployment bookkeeping). */
const NO_EFFECT = new Set(['Tags', 'PropagateTags', 'VersionDescription', 'CodeSigningConfigArn', 'PermissionsBoundary', 'RolePath']);

const READ = new Set([
  'CodeUri', 'Handler', 'Runtime', 'MemorySize', 'Timeout', 'Environment', 'Events', 'Description', 'FunctionName', 'Layers', 'Policies',
  'Role', 'EventInvokeConfig', 'DeadLetterQueue', 'ReservedConcurrentExecutions', 'ProvisionedConcurrencyConfig', 'EphemeralStorage',
  'FunctionUrlConfig', 'AutoPublishAlias', 'Architectures',
]);

export function translateFunction(t: Translation, id: string, resource: TemplateResource): void {
  const p = resource.Properties;
  const name = t.model.name(id);
  const base = ['Resources', id, 'Properties'];
  const fn: Record<string, unknown> = {};
  t.source(['functions', name], ['Resources', id]);
  for (const [field, property] of [['runtime', 'Runtime'], ['handler', 'Handler'], ['code', 'CodeUri'], ['memory', 'MemorySize'], ['timeout', 'Timeout'], ['environment', 'Environment'], ['events', 'Events'], ['description', 'Description'], ['reservedConcurrency', 'ReservedConcurrentExecutions']] as const) {
    t.source(['functions', name, field], [...base, property]);
  }
  for (const key of Object.keys(p)) {
    if (NO_EFFECT.has(key) || READ.has(key)) continue;
    t.notHonoured(id, key, whyNot(key));
  }
  copy(fn, 'runtime', p.Runtime);
  copy(fn, 'handler', p.Handler);
  code(t, id, p, fn);
  copy(fn, 'memory', p.MemorySize, asNumber);
  copy(fn, 'timeout', p.Timeout, asNumber);
  if (isMap(p.EphemeralStorage)) copy(fn, 'ephemeralStorage', p.EphemeralStorage.Size, asNumber);
  if (isMap(p.Environment) && isMap(p.Environment.Variables)) fn.environment = environment(p.Environment.Variables);
  copy(fn, 'description', p.Description);
  copy(fn, 'reservedConcurrency', p.ReservedConcurrentExecutions, asNumber);
  if (isMap(p.ProvisionedConcurrencyConfig)) copy(fn, 'provisionedConcurrency', p.ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions, asNumber);
  if (p.AutoPublishAlias !== undefined) t.notHonoured(id, 'AutoPublishAlias', 'no version or alias is published; events and routes call $LATEST');
  if (Array.isArray(p.Architectures) && p.Architectures.some((a) => a !== 'x86_64')) t.notHonoured(id, 'Architectures', "the function runs on this machine's architecture");
  layers(t, p.Layers, fn);
  role(t, id, p, fn);
  asyncSettings(t, id, p, fn);
  functionUrl(p.FunctionUrlConfig, fn);
  events(t, id, name, p.Events, fn);
  t.document.functions[name] = fn;
}

/** CodeUri as a folder; `Metadata: BuildMethod: esbuild` bundles from the BuildProperties' entry point. */
function code(t: Translation, id: string, p: Record<string, unknown>, fn: Record<string, unknown>): void {
  if (p.InlineCode !== undefined) t.notHonoured(id, 'InlineCode', 'write the code to a folder and point CodeUri at it');
  if (typeof p.CodeUri === 'string' && !p.CodeUri.startsWith('s3://')) fn.code = p.CodeUri;
  else if (p.CodeUri !== undefined) t.notHonoured(id, 'CodeUri', 'code in S3 cannot be fetched: point CodeUri at the local folder, as `sam build` takes it');
  const metadata = t.model.resources[id]?.Metadata;
  if (!isMap(metadata) || metadata.BuildMethod === undefined) return;
  if (metadata.BuildMethod !== 'esbuild') {
    t.notHonoured(id, 'Metadata.BuildMethod', `${String(metadata.BuildMethod)} builds are not run; Flint packages the folder as it packages any ${String(p.Runtime)} function`);
    return;
  }
  fn.bundle = true;
  const build = isMap(metadata.BuildProperties) ? metadata.BuildProperties : {};
  if (Array.isArray(build.External)) fn.external = build.External.map(String);
  const entry = Array.isArray(build.EntryPoints) ? build.EntryPoints[0] : undefined;
  if (typeof entry === 'string' && typeof fn.handler === 'string') fn.handler = handlerForEntry(entry, fn.handler);
}

/**
 * SAM's esbuild writes the entry point's bundle at the top of the artifact (`src/app.ts` → `app.js`), and Handler
 * names that file; Flint bundles from the source, so the handler names the entry point's own path.
 */
function handlerForEntry(entry: string, handler: string): string {
  const modulePath = entry.replace(/^\.\//, '').slice(0, entry.replace(/^\.\//, '').length - extname(entry).length);
  const exportName = handler.slice(handler.indexOf('.', handler.lastIndexOf('/') + 1) + 1);
  return `${modulePath}.${exportName}`;
}

function environment(variables: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(variables)) out[key] = typeof value === 'string' ? value : JSON.stringify(value);
  return out;
}

/** Field of the layers helper's contract (issue #13): `layers: [<app layer name> | <layer version ARN>]`. */
function layers(t: Translation, value: unknown, fn: Record<string, unknown>): void {
  if (!Array.isArray(value) || value.length === 0) return;
  fn.layers = value.map((layer) => t.refersTo(layer, LAYER_TYPES)?.name ?? String(layer));
}

/**
 * `Role` (an ARN, or an IAM::Role of the template whose policies the function's own role then gets) or
 * `Policies`: deploy creates `<app>-<function>-role` with them, as SAM creates `<Function>Role`.
 */
function role(t: Translation, id: string, p: Record<string, unknown>, fn: Record<string, unknown>): void {
  if (p.Role !== undefined) {
    const templateRole = t.refersTo(p.Role, ['AWS::IAM::Role']);
    if (templateRole === undefined) fn.role = p.Role;
    else fn.policies = rolePolicies(t, templateRole.id);
    if (p.Policies !== undefined) t.notHonoured(id, 'Policies', 'SAM ignores Policies when Role is given, and so does Flint');
    return;
  }
  const expanded = expandPolicies(p.Policies, t.target);
  for (const line of expanded.unsupported) t.notHonoured(id, 'Policies', line);
  const policies: PolicyEntry[] = [BASIC_EXECUTION_ROLE, ...expanded.policies];
  fn.policies = policies;
}

/** EventInvokeConfig and DeadLetterQueue → `async`. */
function asyncSettings(t: Translation, id: string, p: Record<string, unknown>, fn: Record<string, unknown>): void {
  const out: Record<string, unknown> = {};
  const config = isMap(p.EventInvokeConfig) ? p.EventInvokeConfig : {};
  copy(out, 'maximumRetryAttempts', config.MaximumRetryAttempts, asNumber);
  copy(out, 'maximumEventAge', config.MaximumEventAgeInSeconds, asNumber);
  const destinations = isMap(config.DestinationConfig) ? config.DestinationConfig : {};
  for (const [field, key] of [['onSuccess', 'OnSuccess'], ['onFailure', 'OnFailure']] as const) {
    const destination = destinations[key];
    if (!isMap(destination)) continue;
    const target = destinationOf(t, destination.Destination);
    if (target === undefined) t.notHonoured(id, `EventInvokeConfig.DestinationConfig.${key}`, `${String(destination.Type)} ${String(destination.Destination ?? '(no Destination)')} is not a queue, topic or function Flint can send to`);
    else out[field] = target;
  }
  if (isMap(p.DeadLetterQueue)) {
    const target = destinationOf(t, p.DeadLetterQueue.TargetArn);
    if (target === undefined || target.startsWith('function:')) t.notHonoured(id, 'DeadLetterQueue', `${String(p.DeadLetterQueue.TargetArn)} is not a queue or topic Flint can send to`);
    else out.deadLetter = target;
  }
  if (Object.keys(out).length > 0) fn.async = { ...(isMap(fn.async) ? fn.async : {}), ...out };
}

/** Field of the function-URL helper's contract (issue #13): `url: { authType, cors?, invokeMode? }`. */
function functionUrl(config: unknown, fn: Record<string, unknown>): void {
  if (!isMap(config)) return;
  const url: Record<string, unknown> = { authType: config.AuthType ?? 'NONE' };
  if (config.InvokeMode !== undefined) url.invokeMode = config.InvokeMode;
  if (isMap(config.Cors)) url.cors = Object.fromEntries(Object.entries(config.Cors).map(([key, value]) => [key.charAt(0).toLowerCase() + key.slice(1), value]));
  fn.url = url;
}

function events(t: Translation, id: string, name: string, value: unknown, fn: Record<string, unknown>): void {
  if (!isMap(value)) return;
  const list: Record<string, unknown>[] = [];
  for (const [eventName, event] of Object.entries(value)) {
    if (!isMap(event)) continue;
    const translated = translateEvent(t, { fn: id, name: eventName, properties: isMap(event.Properties) ? event.Properties : {} }, event);
    if (translated === undefined) continue;
    t.source(['functions', name, 'events', list.length], ['Resources', id, 'Properties', 'Events', eventName]);
    list.push(translated);
  }
  const existing = Array.isArray(fn.events) ? fn.events : [];
  fn.events = [...existing, ...list];
}
