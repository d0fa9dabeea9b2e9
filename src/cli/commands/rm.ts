import { isFlintError } from '../../core/index.js';
import { ENDPOINT_OPTION, endpointOf, EXIT, parse, UsageError } from '../args.js';
import { FlintClient } from '../client.js';
import type { Command } from './command.js';

const HELP = `Usage: flint rm <app-or-function> [options]

Removes an app (its functions and APIs) or a single function.

Options:
  -e, --endpoint <url>   the node (default $FLINT_ENDPOINT or http://127.0.0.1:4566)
  -h, --help             show this help`;

export const rm: Command = {
  name: 'rm',
  summary: 'remove an app or a function',
  help: HELP,
  async run(argv, out) {
    const { values, positionals } = parse(argv, ENDPOINT_OPTION);
    const [name, ...rest] = positionals;
    if (!name || rest.length) throw new UsageError('flint rm takes one app or function name');
    const client = new FlintClient(endpointOf(values));
    const apps = await client.apps();
    if (apps.some((app) => app.name === name)) {
      await client.removeApp(name);
      out.success(`removed app ${name}`);
      return EXIT.ok;
    }
    try {
      await client.deleteFunction(name);
    } catch (error) {
      if (isFlintError(error, 'FUNCTION_NOT_FOUND')) {
        out.error(`no app or function named '${name}' (see \`flint ls\`)`);
        return EXIT.failed;
      }
      throw error;
    }
    out.success(`removed function ${name}`);
    return EXIT.ok;
  },
};
