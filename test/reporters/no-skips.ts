import type { Reporter, TestModule } from 'vitest/node';

/**
 * In CI every tool a test needs is installed, so a skipped test means something is missing or a test was left
 * switched off: the run fails and says which. Outside CI a skip stays a skip.
 */
export default class NoSkipsInCi implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    if (!process.env.CI) return;
    const skipped: string[] = [];
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        if (test.result().state === 'skipped') skipped.push(`${module.moduleId}: ${test.fullName}`);
      }
    }
    if (skipped.length === 0) return;
    console.error(`\nCI: ${skipped.length} test(s) skipped; in CI every test must run:\n${skipped.map((s) => `  - ${s}`).join('\n')}`);
    process.exitCode = 1;
  }
}
