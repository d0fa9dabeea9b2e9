import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most tests wait on child processes and sockets rather than compute: two files at a time even on two cores
    // (vitest's default there is one) takes the suite from about 13 to about 10 minutes.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    globalSetup: ['test/global-setup.ts'],
    reporters: ['default', './test/reporters/no-skips.ts'],
    // Polled conditions wait on real processes; a loaded CI machine needs more than the 1 s default.
    expect: { poll: { timeout: 10_000 } },
  },
});
