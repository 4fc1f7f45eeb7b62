import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createDb, type Db } from '../../src/db/client.js';

/**
 * A fresh SQLite database with the project's migrations applied (the same SQL files
 * `prisma migrate deploy` applies at start; test/startup.test.ts runs the real command).
 */
export function createTestDb(): { db: Db; url: string; cleanup: () => Promise<void> } {
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
    db,
    url,
    cleanup: async () => {
      await db.$disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
