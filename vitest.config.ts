import { defineConfig } from 'vitest/config';

/** Tests that touch no database: run once, on the SQLite pass. */
const POSTGRES_SKIPS = [
  'test/absenceParser.test.ts', 'test/routingQuality.test.ts', 'test/routing.test.ts', 'test/knowledge.test.ts',
  'test/config.test.ts', 'test/databases.test.ts', 'test/calibration.test.ts',
];

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The PostgreSQL run (scripts/test-postgres.ts) repeats only the tests that use a database.
    exclude: process.env.TEST_DATABASE === 'postgresql' ? POSTGRES_SKIPS : [],
    globalSetup: ['test/helpers/prismGlobalSetup.ts'],
    setupFiles: ['test/helpers/noExternalNetwork.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Training the classifier is CPU-bound; two workers match this machine's two cores.
    maxWorkers: 2,
    env: { LOG_LEVEL: 'silent' },
  },
});
