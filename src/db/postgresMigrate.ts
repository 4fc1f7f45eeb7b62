import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';

/** Where the PostgreSQL migrations live (generated beside the SQLite ones; README "Schema changes"). */
export const POSTGRES_MIGRATIONS = path.resolve('prisma', 'postgres', 'migrations');

/** Any fixed number: every instance that starts at once waits on the same advisory lock. */
const MIGRATION_LOCK = 7_202_611;

/**
 * `prisma migrate deploy` for PostgreSQL. Prisma 6.19's JS schema engine cannot read
 * PostgreSQL's catalog through @prisma/adapter-pg ("Column type 'name' could not be
 * deserialized", https://github.com/prisma/orm/issues/27403), so this applies the same
 * migration files itself and records them in Prisma's own `_prisma_migrations` table (same
 * columns, sha256 checksums), so Prisma's tools and /readyz read the same history. Each
 * migration runs in a transaction; an advisory lock lets several instances start together.
 */
export async function migratePostgres(databaseUrl: string, opts: { dir?: string; log?: (line: string) => void } = {}) {
  const dir = opts.dir ?? POSTGRES_MIGRATIONS;
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get('schema');
  url.searchParams.delete('schema');
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const applied: string[] = [];
  try {
    if (schema) {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(schema)}`);
      await client.query(`SET search_path TO ${pg.escapeIdentifier(schema)}`);
    }
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    const done = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
    );
    const byName = new Map(done.rows.map((r) => [r.migration_name, r]));
    for (const name of readdirSync(dir).filter((n) => !n.endsWith('.toml')).sort()) {
      const sql = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      const checksum = createHash('sha256').update(sql).digest('hex');
      const seen = byName.get(name);
      if (seen?.finished_at) {
        if (seen.checksum !== checksum) throw new Error(`migration ${name} was changed after it was applied (checksum differs)`);
        continue;
      }
      if (seen) throw new Error(`migration ${name} failed earlier and needs a person: see _prisma_migrations.logs`);
      const id = randomUUID();
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query(
          'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count) VALUES ($1, $2, $3, now(), 1)',
          [id, checksum, name],
        );
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${name} failed: ${(err as Error).message}`);
      }
      applied.push(name);
      opts.log?.(`applied ${name}`);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await client.end();
  }
  return applied;
}
