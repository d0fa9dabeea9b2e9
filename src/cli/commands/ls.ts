import { ENDPOINT_OPTION, endpointOf, EXIT, parse } from '../args.js';
import { FlintClient } from '../client.js';
import { table } from '../output.js';
import type { Command } from './command.js';

const HELP = `Usage: flint ls [options]

Lists the node's functions (with their warm instances) and its HTTP APIs.

Options:
  -e, --endpoint <url>   the node (default $FLINT_ENDPOINT or http://127.0.0.1:4566)
  -h, --help             show this help`;

export const ls: Command = {
  name: 'ls',
  summary: 'list functions, instances and APIs',
  help: HELP,
  async run(argv, out) {
    const { values } = parse(argv, ENDPOINT_OPTION);
    const client = new FlintClient(endpointOf(values));
    const [functions, apps] = await Promise.all([client.functions(), client.apps()]);
    if (functions.length === 0) {
      out.step('no functions deployed: try `flint up <dir>` or `flint deploy <dir>`');
      return EXIT.ok;
    }
    const rows = [['FUNCTION', 'RUNTIME', 'APP', 'MEMORY', 'TIMEOUT', 'INSTANCES']];
    for (const fn of functions) {
      rows.push([fn.name, fn.runtime, fn.app ?? '-', `${fn.memorySize} MB`, `${fn.timeout} s`, `${fn.instances.busy} busy, ${fn.instances.idle} idle`]);
    }
    out.result(table(rows));
    const routes = apps.flatMap((app) => [
      ...app.apis.flatMap((api) => api.routes.map((r) => [app.name, api.name, r.routeKey, r.functionName, api.url])),
      ...(app.websockets ?? []).flatMap((api) => api.routes.map((r) => [app.name, api.name, r.routeKey, r.functionName, api.url])),
    ]);
    if (routes.length) out.result('\n' + table([['APP', 'API', 'ROUTE', 'FUNCTION', 'URL'], ...routes]));
    return EXIT.ok;
  },
};
