/**
 * The Framework's `.env` files: `.env.<stage>` when it exists, else `.env`, read beside serverless.yml — always in
 * v4, with `useDotenv: true` in v3 (https://www.serverless.com/framework/docs/environment-variables). Variables
 * already in the environment win, as with dotenv.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function loadsDotenv(config: Record<string, unknown>): boolean {
  if (config.useDotenv === true) return true;
  const version = String(config.frameworkVersion ?? '4').replace(/^[^\d]*/, '');
  return !/^[123](\D|$)/.test(version);
}

/** KEY=VALUE lines of the stage's .env file (or .env), with `export`, quotes and comments as dotenv reads them. */
export function readDotenv(dir: string, stage: string): Record<string, string> {
  const file = [join(dir, `.env.${stage}`), join(dir, '.env')].find((path) => existsSync(path));
  if (file === undefined) return {};
  const values: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)?\s*$/.exec(line);
    if (!match) continue;
    const raw = (match[2] ?? '').trim();
    const quoted = /^(['"`])([\s\S]*)\1$/.exec(raw);
    values[match[1]!] = quoted ? (quoted[1] === '"' ? quoted[2]!.replace(/\\n/g, '\n') : quoted[2]!) : raw.replace(/\s+#.*$/, '');
  }
  return values;
}
