import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { providedToolsBin } from './helpers/tools.js';

/**
 * End-to-end tests run the bundled CLI, so bundle it once before any test runs. Tools that test-tools provided
 * without root come first on PATH, for the tests and the processes they start (bwrap, curl in a bootstrap).
 */
export default function setup(): void {
  const tools = providedToolsBin();
  if (existsSync(tools)) process.env.PATH = `${tools}:${process.env.PATH ?? '/usr/bin:/bin'}`;
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
