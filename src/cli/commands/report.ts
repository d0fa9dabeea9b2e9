import type { DeployReport } from '../../services/admin/index.js';
import type { Output } from '../output.js';

/** Prints what a deploy did and where to go next. */
export function printDeployReport(report: DeployReport, out: Output, options: { onlyChanges?: boolean } = {}): void {
  for (const layer of report.layers ?? []) {
    if (options.onlyChanges && !layer.changed) continue;
    out.success(`layer ${layer.name} ${out.dim(layer.changed ? `published as version ${layer.version}` : `unchanged (version ${layer.version})`)}`);
  }
  for (const fn of report.functions) {
    if (options.onlyChanges && !fn.changed) continue;
    out.success(`${fn.name} ${out.dim(fn.changed ? `deployed (${formatBytes(fn.codeSize)})` : 'unchanged')}`);
  }
  if (options.onlyChanges) {
    if (!report.functions.some((f) => f.changed)) out.step('nothing changed');
    for (const warning of report.warnings) out.warn(warning);
    return;
  }
  for (const name of report.removed) out.step(`${name} removed (no longer in flint.yaml)`);
  for (const resource of report.created ?? []) out.success(`${resource} created`);
  for (const api of report.apis) {
    out.step(`API ${out.bold(api.name)} at ${api.url} ${out.dim(`(also ${api.hostUrl})`)}`);
    for (const route of api.routes) out.step(`  ${route.routeKey.padEnd(28)} → ${route.functionName}`);
  }
  for (const api of report.websockets ?? []) {
    out.step(`WebSocket API ${out.bold(api.name)} at ${api.url} ${out.dim(`(also ${api.hostUrl}; @connections at ${api.connectionsUrl})`)}`);
    for (const route of api.routes) out.step(`  ${route.routeKey.padEnd(28)} → ${route.functionName}`);
  }
  for (const fn of report.functions) {
    if (!fn.url) continue;
    const how = `${fn.url.authType === 'AWS_IAM' ? 'SigV4-signed requests only' : 'public'}${fn.url.invokeMode === 'RESPONSE_STREAM' ? ', streamed' : ''}`;
    out.step(`URL of ${out.bold(fn.name)} at ${fn.url.hostUrl} ${out.dim(`(also ${fn.url.pathUrl}; ${how}; on Lambda ${fn.url.functionUrl})`)}`);
  }
  for (const warning of report.warnings) out.warn(warning);
  printTemplateParts(report, out);
}

/** A template's Outputs, and what Flint did not honour of it, one line per construct. */
function printTemplateParts(report: DeployReport, out: Output): void {
  if (report.unsupported?.length) {
    out.warn(`not honoured by Flint (${report.unsupported.length}):`);
    for (const line of report.unsupported) out.step(`  ${line}`);
  }
  if (report.outputs?.length) {
    out.step('Outputs');
    for (const output of report.outputs) out.step(`  ${output.key.padEnd(24)} ${output.value}${output.description ? `  ${out.dim(output.description)}` : ''}`);
  }
}

/** A command the user can paste to try the app: the first GET route without parameters, or an invoke. */
export function tryCommand(report: DeployReport): string | undefined {
  for (const api of report.apis) {
    const route = api.routes.find((r) => /^(GET|ANY) \/[^{}]*$/.test(r.routeKey));
    if (route) return `curl ${api.url}${route.routeKey.split(' ')[1]}`;
  }
  const fn = report.functions[0];
  return fn ? `flint invoke ${fn.name} --data '{}'` : undefined;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
