import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Socket and worker tests bind loopback ports; two cores do not benefit from more forks.
    pool: 'forks',
    maxWorkers: 2,
  },
});
