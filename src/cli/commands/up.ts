import { watch } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { AppSnapshot } from './app-snapshot.js';
import { WatchFilter } from './watch-filter.js';
import { createLogger, faultsFromEnv, isFlintError } from '../../core/index.js';
import { startNode, type FlintNode } from '../../platform/index.js';
import { ROOT_KEY_FILE } from '../../gateway/index.js';
import { appFileIn, type LoadOptions } from '../../templates/index.js';
import { TEMPLATE_HELP, takeTemplateArgs } from '../template-args.js';
import { EXIT, parse, UsageError } from '../args.js';
import type { Output } from '../output.js';
import type { Command } from './command.js';
import { printDeployReport, tryCommand } from './report.js';

const HELP = `Usage: flint up [dir] [options]

Starts a Flint node and deploys the app in [dir] (the folder holding flint.yaml, or a SAM template.yaml),
then watches the folder and redeploys a function in place when its code or configuration changes (not for
logs, .flint/, caches, editor swap files or what the app's .gitignore names). Without [dir] and without a
flint.yaml or template in the current folder, starts an empty node. Stop with Ctrl-C.

Options:
${TEMPLATE_HELP}
  -p, --port <port>      port to listen on (default 4566, where AWS tools expect a local endpoint)
      --host <host>      address to bind (default 127.0.0.1; 0.0.0.0 to accept other machines, which turns on
                         server mode: only signatures with keys Flint issued are accepted)
      --auth             server mode on loopback too (verify every request's signature)
  -d, --data <dir>       where state lives (default <dir>/.flint, or ./.flint for an empty node)
      --no-watch         deploy once, do not watch for changes
      --keep-alive <s>   seconds an idle instance is kept warm (default 600)
      --policy <p>       keep-alive policy: fixed (default) or adaptive (learns each function's idle times)
      --stem-cells <n>   pre-started runtime processes per family, Node.js and Python (default 1; 0 for none)
      --sandbox <kind>   auto | bwrap | process (default auto: the strongest that works here)
      --enforce-iam      evaluate IAM policies on every AWS API call (IAM users' keys, role sessions and
                         functions' role credentials get only what their policies allow; the root and the
                         default local credentials still may do anything). Off by default in local mode
      --no-cgroups       no cgroup per instance: memory is sampled, processes and CPU are not limited
  -v, --verbose          log every request and instance start
  -h, --help             show this help`;

export const up: Command = {
  name: 'up',
  summary: 'start a node and deploy (and watch) an app',
  help: HELP,
  async run(argv, out) {
    const templateArgs = takeTemplateArgs(argv);
    const { values, positionals } = parse(templateArgs.rest, {
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      data: { type: 'string', short: 'd' },
      'no-watch': { type: 'boolean' },
      'keep-alive': { type: 'string' },
      policy: { type: 'string' },
      'stem-cells': { type: 'string' },
      sandbox: { type: 'string' },
      'enforce-iam': { type: 'boolean' },
      'no-cgroups': { type: 'boolean' },
      verbose: { type: 'boolean', short: 'v' },
      auth: { type: 'boolean' },
    });
    if (positionals.length > 1) throw new UsageError('flint up takes at most one folder');
    const dir = positionals[0] ? resolve(positionals[0]) : templateArgs.template !== undefined || appFileIn(process.cwd()) !== undefined ? process.cwd() : undefined;
    const load: LoadOptions = { template: templateArgs.template, parameterOverrides: templateArgs.parameterOverrides, stage: templateArgs.stage };
    const port = values.port === undefined ? 4566 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, not '${values.port}'`);
    const sandbox = (values.sandbox as string | undefined) ?? 'auto';
    if (!['auto', 'bwrap', 'process'].includes(sandbox)) throw new UsageError(`--sandbox is auto, bwrap or process, not '${sandbox}'`);
    const keepAlive = values['keep-alive'] === undefined ? undefined : Number(values['keep-alive']) * 1000;
    if (keepAlive !== undefined && !(keepAlive >= 0)) throw new UsageError('--keep-alive takes a number of seconds');
    const dataDir = resolve((values.data as string | undefined) ?? join(dir ?? process.cwd(), '.flint'));
    const policy = (values.policy as string | undefined) ?? 'fixed';
    if (policy !== 'fixed' && policy !== 'adaptive') throw new UsageError(`--policy is fixed or adaptive, not '${policy}'`);
    const cells = values['stem-cells'] === undefined ? 1 : Number(values['stem-cells']);
    if (!Number.isInteger(cells) || cells < 0) throw new UsageError('--stem-cells takes a whole number (0 for none)');

    out.step(`starting Flint ${out.dim(`(data in ${shortPath(dataDir)})`)}`);
    const node = await startNode({
      dataDir,
      port,
      host: values.host as string | undefined,
      keepAliveMs: keepAlive,
      keepAlive: policy,
      stemCells: cells === 0 ? false : { size: { nodejs: cells, python: cells } },
      sandbox: sandbox as 'auto' | 'bwrap' | 'process',
      cgroups: !values['no-cgroups'],
      logger: createLogger({ level: values.verbose ? 'debug' : 'warn' }),
      faults: faultsFromEnv(process.env),
      ...(values['enforce-iam'] ? { authorization: 'enforce' as const } : {}),
      ...(values.auth ? { auth: true } : {}),
    });
    out.success(`Flint is listening on ${out.bold(node.url)}`);
    out.step(`isolation: ${node.isolation}`);
    if (values['enforce-iam']) out.step('IAM policies: enforced (the root and the default local credentials may still do anything)');
    printAuth(node, out);
    const watching = Boolean(dir) && !values['no-watch'];
    if (dir) {
      const deployed = await deployOnce(node, dir, out, { watching, load });
      if (!deployed && values['no-watch']) {
        await node.close();
        return EXIT.failed;
      }
    }
    const stopWatching = dir && watching ? watchApp(node, dir, out, load) : () => {};
    if (dir && watching) out.step(`watching ${shortPath(dir)} for changes`);
    out.step(`logs: flint logs <function> --follow   ·   stop: Ctrl-C`);
    await waitForSignal();
    out.step('stopping');
    stopWatching();
    await node.close();
    out.success('stopped');
    return EXIT.ok;
  },
};

/** Says which credentials the node accepts; the root key is shown once, the start that makes it. */
function printAuth(node: FlintNode, out: Output): void {
  const { mode, rootKey } = node.auth;
  if (mode === 'local') {
    out.step('authentication: local mode (any credentials are accepted; --auth to verify signatures)');
    return;
  }
  out.step('authentication: server mode (only keys this node issued are accepted)');
  if (!rootKey?.created) return;
  out.step(`root key (shown once; kept in ${shortPath(join(node.dataDir, ROOT_KEY_FILE))}, mode 0600):`);
  out.step(`  aws configure set aws_access_key_id ${rootKey.accessKeyId} --profile flint`);
  out.step(`  aws configure set aws_secret_access_key ${rootKey.secretAccessKey} --profile flint`);
  out.step(`  then: aws --profile flint --endpoint-url ${node.url} sts get-caller-identity`);
}

async function deployOnce(node: FlintNode, dir: string, out: Output, options: { watching: boolean; load: LoadOptions; redeploy?: boolean }): Promise<boolean> {
  const redeploy = options.redeploy ?? false;
  try {
    const report = await node.deployDir(dir, redeploy ? undefined : (message) => out.step(message), options.load);
    printDeployReport(report, out, { onlyChanges: redeploy });
    const hint = tryCommand(report);
    if (hint && !redeploy) out.step(`try: ${out.bold(hint)}`);
    return true;
  } catch (error) {
    out.error(isFlintError(error) ? error.message : String(error));
    if (options.watching) out.step('fix the problem and save: Flint redeploys when the folder changes');
    return false;
  }
}

/**
 * Redeploys after a burst of changes settles; the registry leaves unchanged functions alone. A burst that leaves
 * every file as it was (an editor's save of the same text, a touch) redeploys nothing and prints nothing.
 */
function watchApp(node: FlintNode, dir: string, out: Output, load: LoadOptions): () => void {
  const filter = new WatchFilter(dir);
  const snapshot = new AppSnapshot(dir, (file) => filter.ignores(file));
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let deploying: Promise<void> = Promise.resolve();
  const watcher = watch(dir, { recursive: true }, (_event, file) => {
    if (file && filter.ignores(file)) return;
    if (file) pending.add(file);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const files = [...pending];
      pending.clear();
      deploying = deploying.then(async () => {
        if (files.includes('.gitignore')) filter.reload();
        const changed = files.length === 0 ? ['(unknown)'] : snapshot.changed(files);
        if (changed.length === 0) return;
        out.step(`change detected in ${changed.slice(0, 3).join(', ')}${changed.length > 3 ? ` and ${changed.length - 3} more` : ''}, redeploying`);
        await deployOnce(node, dir, out, { watching: true, load, redeploy: true });
      });
    }, 150);
  });
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}

/** A path relative to the current folder when it is inside it, else absolute. */
function shortPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' ? '.' : rel.startsWith('..') ? path : rel;
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}
