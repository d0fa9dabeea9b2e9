import type { LogRecord } from '../../storage/index.js';
import { ENDPOINT_OPTION, endpointOf, EXIT, parse, parseSince, UsageError } from '../args.js';
import { FlintClient } from '../client.js';
import type { Output } from '../output.js';
import type { Command } from './command.js';

const HELP = `Usage: flint logs <function> [options]

Prints a function's logs: its own output and Lambda's START, END and REPORT lines.

Options:
  -f, --follow           keep printing new lines until Ctrl-C
  -s, --since <when>     only lines newer than this: 30s, 10m, 2h, 1d or a date (default: the last 100 lines)
  -e, --endpoint <url>   the node (default $FLINT_ENDPOINT or http://127.0.0.1:4566)
  -h, --help             show this help`;

const FOLLOW_POLL_MS = 500;

export const logs: Command = {
  name: 'logs',
  summary: "print a function's logs (--follow to stream)",
  help: HELP,
  async run(argv, out) {
    const { values, positionals } = parse(argv, { ...ENDPOINT_OPTION, follow: { type: 'boolean', short: 'f' }, since: { type: 'string', short: 's' } });
    const [name, ...rest] = positionals;
    if (!name || rest.length) throw new UsageError('flint logs takes one function name');
    const since = values.since === undefined ? undefined : parseSince(values.since as string, Date.now());
    const client = new FlintClient(endpointOf(values));
    let records = await client.logs(name, since === undefined ? { limit: 100 } : { since, limit: 10_000 });
    print(records, out);
    if (!values.follow) return EXIT.ok;
    // Until a first line arrives, ask by time rather than by the newest id: asking for that id in a second call would
    // skip whatever was written between the two calls.
    let afterId = records.at(-1)?.id;
    let stopped = false;
    const stop = (): void => {
      stopped = true;
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    while (!stopped) {
      records = await client.logs(name, afterId === undefined ? { since: since ?? 0, limit: 1000 } : { afterId, limit: 1000 });
      print(records, out);
      afterId = records.at(-1)?.id ?? afterId;
      if (records.length < 1000) await new Promise((resolve) => setTimeout(resolve, FOLLOW_POLL_MS));
    }
    return EXIT.ok;
  },
};

/** One line per line: a record may hold several (Lambda's END and REPORT are stored together). */
function print(records: LogRecord[], out: Output): void {
  for (const record of records) {
    const time = out.dim(new Date(record.time).toISOString().replace('T', ' ').slice(0, 23));
    for (const line of record.message.split('\n')) out.result(`${time} ${line}`);
  }
}
