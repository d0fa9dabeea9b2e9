/**
 * What the CLI prints. Results go to stdout (so `flint invoke f > out.json` works); progress, warnings and
 * errors go to stderr. Colour only on a terminal, and never when NO_COLOR is set.
 */
export interface Output {
  result(text: string): void;
  step(text: string): void;
  success(text: string): void;
  warn(text: string): void;
  error(text: string): void;
  dim(text: string): string;
  bold(text: string): string;
}

export function createOutput(stdout: NodeJS.WriteStream = process.stdout, stderr: NodeJS.WriteStream = process.stderr): Output {
  const color = Boolean(stderr.isTTY) && !process.env.NO_COLOR;
  const paint = (code: string) => (text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const green = paint('32');
  const yellow = paint('33');
  const red = paint('31');
  const dim = paint('2');
  const bold = paint('1');
  return {
    result: (text) => stdout.write(text.endsWith('\n') ? text : text + '\n'),
    step: (text) => stderr.write(`${dim('•')} ${text}\n`),
    success: (text) => stderr.write(`${green('✓')} ${text}\n`),
    warn: (text) => stderr.write(`${yellow('!')} ${text}\n`),
    error: (text) => stderr.write(`${red('✗')} ${text}\n`),
    dim,
    bold,
  };
}

/** Formats rows as aligned columns. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n');
}
