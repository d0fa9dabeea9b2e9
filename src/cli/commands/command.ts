import type { Output } from '../output.js';

export interface Command {
  name: string;
  summary: string;
  /** Full help text, shown by `flint <command> --help`. */
  help: string;
  run(argv: string[], out: Output): Promise<number>;
}
