import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    reporters: ['default', './test/reporters/no-skips.ts'],
    // Polled conditions wait on real processes; a loaded CI machine needs more than the 1 s default.
    expect: { poll: { timeout: 10_000 } },
  },
});
