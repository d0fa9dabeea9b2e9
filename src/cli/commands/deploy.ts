import { resolve } from 'node:path';
import { prepareApp } from '../../platform/index.js';
import { ENDPOINT_OPTION, endpointOf, EXIT, parse, UsageError } from '../args.js';
import { FlintClient } from '../client.js';
import type { Command } from './command.js';
import { printDeployReport } from './report.js';

const HELP = `Usage: flint deploy [dir] [options]

Packages the app in [dir] (default: the current folder) and deploys it to a running node. TypeScript and
JavaScript are bundled with esbuild; unchanged functions are left alone.

Options:
  -e, --endpoint <url>   the node (default $FLINT_ENDPOINT or http://127.0.0.1:4566)
  -h, --help             show this help`;

export const deploy: Command = {
  name: 'deploy',
  summary: 'package an app and deploy it to a running node',
  help: HELP,
  async run(argv, out) {
    const { values, positionals } = parse(argv, ENDPOINT_OPTION);
    if (positionals.length > 1) throw new UsageError('flint deploy takes at most one folder');
    const client = new FlintClient(endpointOf(values));
    const dir = resolve(positionals[0] ?? '.');
    const { app, warnings } = await prepareApp(dir, (message) => out.step(message));
    out.step(`deploying ${out.bold(app.spec.name)} to ${client.endpoint}`);
    const report = await client.deploy(app);
    printDeployReport({ ...report, warnings: [...warnings, ...report.warnings] }, out);
    return EXIT.ok;
  },
};
