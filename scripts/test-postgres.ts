/**
 * The second half of `npm test`: the suite's database tests again, on PostgreSQL. Skipped,
 * with a clear message, only when no PostgreSQL answers (.ci/run starts the local server).
 */
import { spawnSync } from 'node:child_process';
import pg from 'pg';

const url = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
try {
  await client.connect();
  await client.end();
} catch (err) {
  console.warn(`\nPostgreSQL tests SKIPPED: nothing answers at ${url} (${(err as Error).message}).`);
  console.warn('Start PostgreSQL (or set TEST_POSTGRES_URL) to run the suite on it too.\n');
  process.exit(0);
}
console.log(`\nRunning the database tests again on PostgreSQL (${url}) ...\n`);
const result = spawnSync('npx', ['vitest', 'run', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, TEST_DATABASE: 'postgresql', TEST_POSTGRES_URL: url },
});
process.exit(result.status ?? 1);
