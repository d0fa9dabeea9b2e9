import { parseArgs, type ParseArgsConfig } from 'node:util';

export const EXIT = { ok: 0, failed: 1, usage: 2, unreachable: 3 } as const;

/** A usage mistake: the message says what was wrong and the command's help follows. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

export function parse<T extends Options>(argv: string[], options: T): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export const ENDPOINT_OPTION = { endpoint: { type: 'string' as const, short: 'e' } };

export function endpointOf(values: Record<string, unknown>): string {
  const given = typeof values.endpoint === 'string' ? values.endpoint : process.env.FLINT_ENDPOINT;
  return (given ?? 'http://127.0.0.1:4566').replace(/\/$/, '');
}

/** "10m", "2h", "30s", "1d" or an ISO date → epoch ms. */
export function parseSince(text: string, now: number): number {
  const relative = /^(\d+)(s|m|h|d)$/.exec(text);
  if (relative) {
    const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 's' | 'm' | 'h' | 'd'];
    return now - Number(relative[1]) * unit;
  }
  const absolute = Date.parse(text);
  if (Number.isNaN(absolute)) throw new UsageError(`--since takes a duration like 10m, 2h, 30s, 1d or a date, not '${text}'`);
  return absolute;
}
