/**
 * The `flint` command. A thin layer: `up` runs a node in this process; every other command is a client
 * of a running node over HTTP.
 */
import { isFlintError } from '../core/index.js';
import { FLINT_VERSION } from '../platform/index.js';
import { EXIT, UsageError } from './args.js';
import type { Command } from './commands/command.js';
import { deploy } from './commands/deploy.js';
import { exportCommand } from './commands/export.js';
import { invoke } from './commands/invoke.js';
import { logs } from './commands/logs.js';
import { ls } from './commands/ls.js';
import { replay } from './commands/replay.js';
import { rm } from './commands/rm.js';
import { up } from './commands/up.js';
import { createOutput, type Output } from './output.js';

const COMMANDS: Command[] = [up, deploy, invoke, logs, ls, rm, replay, exportCommand];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Flint ${FLINT_VERSION}: run AWS Lambda applications anywhere.

Usage: flint <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run \`flint <command> --help\` for a command's options.`;
}

export async function main(argv: string[], out: Output = createOutput()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out.result(usage());
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version' || name === '-V') {
    out.result(FLINT_VERSION);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    out.error(`unknown command '${name}'`);
    out.result(usage());
    return EXIT.usage;
  }
  if (wantsHelp(rest)) {
    out.result(command.help);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, out);
  } catch (error) {
    return report(error, command, out);
  }
}

/** `--help` or `-h` before any `--` shows the command's help, whatever else was given. */
function wantsHelp(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

function report(error: unknown, command: Command, out: Output): number {
  if (error instanceof UsageError) {
    out.error(error.message);
    out.result(command.help);
    return EXIT.usage;
  }
  if (isFlintError(error, 'NODE_UNREACHABLE')) {
    out.error(`${error.message}: start one with \`flint up\`, or point --endpoint at yours`);
    return EXIT.unreachable;
  }
  if (isFlintError(error)) {
    out.error(error.message);
    return EXIT.failed;
  }
  out.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return EXIT.failed;
}
