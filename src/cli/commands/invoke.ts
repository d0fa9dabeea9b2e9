import { readFileSync } from 'node:fs';
import { ENDPOINT_OPTION, endpointOf, EXIT, parse, UsageError } from '../args.js';
import { FlintClient } from '../client.js';
import type { Command } from './command.js';

const HELP = `Usage: flint invoke <function> [options]

Invokes a function and prints its result on stdout. A function error is printed on stderr and exits 1.

Options:
      --data <json>       the event (default {})
      --file <path>       read the event from a file ('-' for stdin)
      --async             invoke asynchronously (InvocationType Event): returns once the event is stored
  -q, --qualifier <q>     a version or alias
      --log               print the invocation's log tail on stderr
  -e, --endpoint <url>    the node (default $FLINT_ENDPOINT or http://127.0.0.1:4566)
  -h, --help              show this help`;

export const invoke: Command = {
  name: 'invoke',
  summary: 'invoke a function with an event',
  help: HELP,
  async run(argv, out) {
    const { values, positionals } = parse(argv, {
      ...ENDPOINT_OPTION,
      data: { type: 'string' },
      file: { type: 'string' },
      async: { type: 'boolean' },
      qualifier: { type: 'string', short: 'q' },
      log: { type: 'boolean' },
    });
    const [name, ...rest] = positionals;
    if (!name || rest.length) throw new UsageError('flint invoke takes one function name');
    if (values.data !== undefined && values.file !== undefined) throw new UsageError('give --data or --file, not both');
    const payload = eventPayload(values.data as string | undefined, values.file as string | undefined);
    const client = new FlintClient(endpointOf(values));
    const response = await client.invoke(name, payload, { async: Boolean(values.async), qualifier: values.qualifier as string | undefined, tail: Boolean(values.log) });
    if (values.async) {
      out.success(`event accepted ${out.dim(`(request id ${response.requestId ?? 'unknown'})`)}`);
      return EXIT.ok;
    }
    if (response.logResult) process.stderr.write(Buffer.from(response.logResult, 'base64').toString('utf8'));
    if (response.functionError) {
      out.error(`${name} failed (${response.functionError}):`);
      process.stderr.write(response.payload.toString('utf8') + '\n');
      return EXIT.failed;
    }
    out.result(response.payload.toString('utf8'));
    return EXIT.ok;
  },
};

function eventPayload(data: string | undefined, file: string | undefined): Buffer {
  const text = file !== undefined ? readFileSync(file === '-' ? 0 : file, 'utf8') : (data ?? '{}');
  try {
    JSON.parse(text);
  } catch (error) {
    throw new UsageError(`the event is not valid JSON: ${(error as Error).message}`);
  }
  return Buffer.from(text);
}
