import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/prismGlobalSetup.ts'],
    setupFiles: ['test/helpers/noExternalNetwork.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Training the classifier is CPU-bound; two workers match this machine's two cores.
    maxWorkers: 2,
    env: { LOG_LEVEL: 'silent' },
  },
});
