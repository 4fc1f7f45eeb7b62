/**
 * `npm run db:migrate`: applies pending migrations to DATABASE_URL. SQLite through
 * `prisma migrate deploy`; PostgreSQL through src/db/postgresMigrate.ts (see there why).
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { migratePostgres } from '../db/postgresMigrate.js';

const url = process.env.DATABASE_URL || 'file:./data/ouderlijn.db';

async function main() {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const applied = await migratePostgres(url, { log: (line) => console.log(line) });
    console.log(applied.length ? `PostgreSQL: ${applied.length} migration(s) applied` : 'PostgreSQL: no pending migrations');
    return;
  }
  // The Prisma CLI from node_modules (no npx lookup: the container has no network).
  const cli = createRequire(import.meta.url).resolve('prisma/build/index.js');
  const result = spawnSync(process.execPath, [cli, 'migrate', 'deploy'], { stdio: 'inherit', env: { ...process.env, DATABASE_URL: url } });
  process.exitCode = result.status ?? 1;
}

main().catch((err) => {
  console.error(`db:migrate: ${(err as Error).message}`);
  process.exit(1);
});
