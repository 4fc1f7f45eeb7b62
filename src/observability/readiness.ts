import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/client.js';

/**
 * The migrations folder for a database URL, as prisma.config.ts picks it: PostgreSQL has its
 * own (prisma/postgres/migrations), SQLite the original (prisma/migrations).
 */
export function migrationsDirFor(databaseUrl: string | undefined, root = process.cwd()): string {
  const postgres = /^postgres(ql)?:\/\//.test(databaseUrl ?? '');
  return path.resolve(root, 'prisma', ...(postgres ? ['postgres'] : []), 'migrations');
}

/**
 * `_prisma_migrations`, qualified with the PostgreSQL schema of `?schema=` when there is one:
 * Prisma qualifies its model queries with that schema, but raw SQL goes to the search path.
 */
export function migrationsTableFor(databaseUrl: string | undefined): string {
  if (databaseUrl && /^postgres(ql)?:\/\//.test(databaseUrl)) {
    const schema = new URL(databaseUrl).searchParams.get('schema');
    if (schema) return `"${schema.replace(/"/g, '""')}"."_prisma_migrations"`;
  }
  return '_prisma_migrations';
}

/** The migration names the code expects: the folders of the migrations directory. */
export function expectedMigrations(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => statSync(path.join(dir, name)).isDirectory())
    .sort();
}

export type Readiness =
  | { ready: true; database: 'reachable'; migrations: { applied: number; expected: number } }
  | {
      ready: false;
      database: 'reachable' | 'unreachable';
      migrations?: 'migrations table missing' | 'migrations folder missing' | { missing: string[]; failed: string[]; applied: number; expected: number };
    };

interface MigrationRow { migration_name: string; finished_at: unknown; rolled_back_at: unknown }

/**
 * Ready = the database answers AND every migration of the folder is applied: a row in
 * `_prisma_migrations` (written by `prisma migrate deploy`) with finished_at set and
 * rolled_back_at not. Plain SQL that SQLite and PostgreSQL both understand.
 * Migrations the database has but the folder does not (a newer release ran) do not count
 * against readiness.
 */
export async function checkReadiness(db: Db, migrationsDir: string, databaseUrl?: string): Promise<Readiness> {
  try {
    await db.$queryRawUnsafe('SELECT 1');
  } catch {
    return { ready: false, database: 'unreachable' };
  }
  let expected: string[];
  try {
    expected = expectedMigrations(migrationsDir);
  } catch {
    return { ready: false, database: 'reachable', migrations: 'migrations folder missing' };
  }
  let rows: MigrationRow[];
  try {
    rows = await db.$queryRawUnsafe<MigrationRow[]>(`SELECT migration_name, finished_at, rolled_back_at FROM ${migrationsTableFor(databaseUrl)}`);
  } catch {
    // SELECT 1 just worked, so the failing query means the table is not there
    // (the database was never migrated with `prisma migrate deploy`).
    return { ready: false, database: 'reachable', migrations: 'migrations table missing' };
  }
  const applied = new Set(rows.filter((r) => r.finished_at != null && r.rolled_back_at == null).map((r) => r.migration_name));
  const failedRows = new Set(rows.filter((r) => r.finished_at == null && r.rolled_back_at == null).map((r) => r.migration_name));
  const missing = expected.filter((name) => !applied.has(name));
  if (missing.length === 0) {
    return { ready: true, database: 'reachable', migrations: { applied: expected.length, expected: expected.length } };
  }
  return {
    ready: false, database: 'reachable',
    migrations: {
      missing, failed: missing.filter((name) => failedRows.has(name)),
      applied: expected.length - missing.length, expected: expected.length,
    },
  };
}
