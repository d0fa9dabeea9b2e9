import { writeFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import type { AppSpec } from '../../manifest/index.js';
import { loadApp } from '../../templates/index.js';
import { appSpecToSam, samTemplateYaml } from '../../templates/index.js';
import { ENDPOINT_OPTION, endpointOf, EXIT, parse, UsageError } from '../args.js';
import { FlintClient } from '../client.js';
import type { Command } from './command.js';

const HELP = `Usage: flint export sam [dir] [options]

Writes an app as a SAM template that \`sam build && sam deploy\` accepts: its functions with their HTTP routes,
queues, topics, buckets, schedules and table streams as SAM events, asynchronous destinations, function URLs, and its
tables, buckets, queues, topics, buses, parameters and secrets as CloudFormation resources. Queue URLs and ARNs
resolved on Flint are written as the stack's own; what SAM cannot express is listed. Code folders are written
relative to the app's folder, so write the template there (or pass it to sam with --template-file from there).

Without --app, exports the app in [dir] (default: the current folder); with --app, the app as it was last
deployed to the running node.

Options:
      --app <name>       export the app deployed to the node under this name
  -o, --output <file>    write the template to <file> (default: print it)
  -e, --endpoint <url>   the node, with --app (default $FLINT_ENDPOINT or http://127.0.0.1:4566)
  -h, --help             show this help`;

export const exportCommand: Command = {
  name: 'export',
  summary: 'write an app back as a SAM template (flint export sam)',
  help: HELP,
  async run(argv, out) {
    const { values, positionals } = parse(argv, { ...ENDPOINT_OPTION, app: { type: 'string' }, output: { type: 'string', short: 'o' } });
    const [format, dir, ...extra] = positionals;
    if (format !== 'sam') throw new UsageError(format === undefined ? 'say which format: flint export sam' : `flint export writes sam, not '${format}'`);
    if (extra.length > 0 || (dir !== undefined && values.app !== undefined)) throw new UsageError('give either a folder or --app <name>, not both');
    const spec = await appToExport(dir, values.app as string | undefined, values);
    const source = values.app === undefined ? relative(process.cwd(), spec.file) || spec.file : `app ${spec.name} on ${endpointOf(values)}`;
    const template = appSpecToSam(spec);
    for (const note of template.Metadata?.['Flint::NotExported'] ?? []) out.warn(`not exported: ${note}`);
    const yaml = samTemplateYaml(template, source);
    const output = values.output as string | undefined;
    if (output === undefined) {
      out.result(yaml);
      return EXIT.ok;
    }
    await writeFile(resolve(output), yaml);
    out.success(`wrote ${output}: ${spec.functions.length} function(s) of ${out.bold(spec.name)} as a SAM template`);
    out.step(`deploy it to AWS from ${relative(process.cwd(), spec.dir) || '.'} with: sam build --template-file ${output} && sam deploy --guided`);
    return EXIT.ok;
  },
};

async function appToExport(dir: string | undefined, app: string | undefined, values: Record<string, unknown>): Promise<AppSpec> {
  if (app !== undefined) return new FlintClient(endpointOf(values)).appSpec(app);
  // flint.yaml, a SAM template or a serverless.yml: whatever the folder deploys from.
  return (await loadApp(resolve(dir ?? '.'))).spec;
}
