import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createDb, type Db, type Dialect } from '../../src/db/client.js';
import { migratePostgres } from '../../src/db/postgresMigrate.js';

/**
 * Which database the suite runs on: `TEST_DATABASE=postgresql` runs it on this machine's
 * PostgreSQL (TEST_POSTGRES_URL, default the local server's `test` database), one fresh
 * schema per test database; anything else on SQLite files. `npm test` runs both.
 */
export const TEST_DIALECT: Dialect = process.env.TEST_DATABASE === 'postgresql' ? 'postgresql' : 'sqlite';
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

export interface TestDb {
  db: Db;
  /** A DATABASE_URL for the same database (child processes, the Prisma CLI). */
  url: string;
  dialect: Dialect;
  cleanup: () => Promise<void>;
}

/** A fresh database with the project's migrations applied, on the suite's dialect. */
export async function createTestDb(dialect: Dialect = TEST_DIALECT): Promise<TestDb> {
  return dialect === 'postgresql' ? createPostgresTestDb() : createSqliteTestDb();
}

/** SQLite: a temporary file with the migration SQL applied (test/startup.test.ts runs the real CLI). */
function createSqliteTestDb(): TestDb {
  const dir = mkdtempSync(path.join(tmpdir(), 'ouderlijn-test-'));
  const file = path.join(dir, 'test.db');
  const sqlite = new Database(file);
  const migrations = path.resolve('prisma', 'migrations');
  for (const name of readdirSync(migrations).filter((n) => !n.endsWith('.toml')).sort()) {
    sqlite.exec(readFileSync(path.join(migrations, name, 'migration.sql'), 'utf8'));
  }
  sqlite.close();
  const url = `file:${file}`;
  const db = createDb(url);
  return {
    db, url, dialect: 'sqlite',
    cleanup: async () => {
      await db.$disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** PostgreSQL: a new schema in the test database, migrated by the app's own runner, dropped after. */
async function createPostgresTestDb(): Promise<TestDb> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const url = `${TEST_POSTGRES_URL}${TEST_POSTGRES_URL.includes('?') ? '&' : '?'}schema=${schema}`;
  await migratePostgres(url);
  const db = createDb(url);
  return {
    db, url, dialect: 'postgresql',
    cleanup: async () => {
      await db.$disconnect();
      const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
