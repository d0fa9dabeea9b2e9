import { execFileSync } from 'node:child_process';

/** End-to-end tests run the bundled CLI, so bundle it once before any test runs. */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
