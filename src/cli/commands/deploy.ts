import { resolve } from 'node:path';
import { prepareApp, withTemplate } from '../../platform/index.js';
import { TEMPLATE_HELP, takeTemplateArgs } from '../template-args.js';
import { ENDPOINT_OPTION, endpointOf, EXIT, parse, UsageError } from '../args.js';
import { FlintClient } from '../client.js';
import type { Command } from './command.js';
import { printDeployReport } from './report.js';

const HELP = `Usage: flint deploy [dir] [options]

Packages the app in [dir] (default: the current folder; its flint.yaml, or else its SAM template.yaml) and
deploys it to a running node. TypeScript and JavaScript are bundled with esbuild; unchanged functions are
left alone.

Options:
${TEMPLATE_HELP}
  -e, --endpoint <url>   the node (default $FLINT_ENDPOINT or http://127.0.0.1:4566)
  -h, --help             show this help`;

export const deploy: Command = {
  name: 'deploy',
  summary: 'package an app and deploy it to a running node',
  help: HELP,
  async run(argv, out) {
    const templateArgs = takeTemplateArgs(argv);
    const { values, positionals } = parse(templateArgs.rest, ENDPOINT_OPTION);
    if (positionals.length > 1) throw new UsageError('flint deploy takes at most one folder');
    const client = new FlintClient(endpointOf(values));
    const dir = resolve(positionals[0] ?? '.');
    const { app, warnings, template } = await prepareApp(dir, (message) => out.step(message), {
      template: templateArgs.template,
      parameterOverrides: templateArgs.parameterOverrides,
      stage: templateArgs.stage,
      endpoint: client.endpoint,
    });
    out.step(`deploying ${out.bold(app.spec.name)} to ${client.endpoint}`);
    const report = await client.deploy(app);
    printDeployReport(withTemplate({ ...report, warnings: [...warnings, ...report.warnings] }, template), out);
    return EXIT.ok;
  },
};
