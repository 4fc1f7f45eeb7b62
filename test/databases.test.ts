import { readFileSync } from 'node:fs';
import pg from 'pg';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_SCHEMA, SQLITE_SCHEMA, postgresSchemaFrom } from '../scripts/postgres-schema.js';
import { createTestDb, TEST_POSTGRES_URL, type TestDb } from './helpers/db.js';

/**
 * SQLite (embedded default) and PostgreSQL (production) must hold the same tables, columns
 * and unique keys after their own migrations: this fails when the two drift.
 */
async function reachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}
const postgresUp = await reachable();
if (!postgresUp) console.warn(`databases.test.ts: PostgreSQL checks SKIPPED, nothing answers at ${TEST_POSTGRES_URL} (.ci/run starts the local server)`);

interface Shape { columns: string[]; uniques: string[] }

function sqliteShape(file: string): Record<string, Shape> {
  const db = new Database(file, { readonly: true });
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name != '_prisma_migrations'").all() as { name: string }[]).map((t) => t.name);
  const out: Record<string, Shape> = {};
  for (const t of tables) {
    const columns = (db.prepare(`PRAGMA table_info("${t}")`).all() as { name: string; notnull: number; pk: number }[])
      .map((c) => `${c.name}${c.notnull || c.pk ? '' : '?'}`).sort();
    const uniques = (db.prepare(`PRAGMA index_list("${t}")`).all() as { name: string; unique: number; origin: string }[])
      .filter((i) => i.unique && i.origin !== 'pk')
      .map((i) => (db.prepare(`PRAGMA index_info("${i.name}")`).all() as { name: string }[]).map((c) => c.name).join(','))
      .sort();
    out[t] = { columns, uniques };
  }
  db.close();
  return out;
}

async function postgresShape(url: string): Promise<Record<string, Shape>> {
  const schema = new URL(url).searchParams.get('schema')!;
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    const cols = await client.query<{ table_name: string; column_name: string; is_nullable: string }>(
      "SELECT table_name, column_name, is_nullable FROM information_schema.columns WHERE table_schema = $1 AND table_name != '_prisma_migrations'", [schema]);
    const idx = await client.query<{ table: string; cols: string }>(`
      SELECT t.relname AS table, string_agg(a.attname, ',' ORDER BY k.ord) AS cols
      FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
      WHERE n.nspname = $1 AND i.indisunique AND NOT i.indisprimary AND t.relname != '_prisma_migrations'
      GROUP BY t.relname, i.indexrelid`, [schema]);
    const out: Record<string, Shape> = {};
    for (const c of cols.rows) {
      (out[c.table_name] ??= { columns: [], uniques: [] }).columns.push(`${c.column_name}${c.is_nullable === 'YES' ? '?' : ''}`);
    }
    for (const i of idx.rows) out[i.table]!.uniques.push(i.cols);
    for (const s of Object.values(out)) { s.columns.sort(); s.uniques.sort(); }
    return out;
  } finally {
    await client.end();
  }
}

describe('SQLite and PostgreSQL stay in step', () => {
  it('has an up-to-date PostgreSQL schema generated from the one set of models (npm run db:pg-schema)', () => {
    expect(readFileSync(POSTGRES_SCHEMA, 'utf8')).toBe(postgresSchemaFrom(readFileSync(SQLITE_SCHEMA, 'utf8')));
  });

  describe.skipIf(!postgresUp)('after each database\'s own migrations', () => {
    let sqlite: TestDb;
    let postgres: TestDb;
    beforeAll(async () => {
      sqlite = await createTestDb('sqlite');
      postgres = await createTestDb('postgresql');
    });
    afterAll(async () => {
      await sqlite?.cleanup();
      await postgres?.cleanup();
    });

    it('has the same tables, columns (with nullability) and unique keys', async () => {
      const lite = sqliteShape(sqlite.url.slice('file:'.length));
      const pgs = await postgresShape(postgres.url);
      expect(Object.keys(lite).sort()).toEqual(Object.keys(pgs).sort());
      for (const table of Object.keys(lite)) expect({ table, ...pgs[table] }).toEqual({ table, ...lite[table] });
    });
  });
});

describe('one connection, several requests (the embedded SQLite default)', () => {
  it('keeps a write made outside a transaction while another request\'s transaction is open and then rolls back', async () => {
    const t = await createTestDb();
    try {
      const school = await t.db.school.create({ data: { slug: 'tx-school', name: 'De Ene Verbinding', kind: 'primary' } });
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      // Request A: a transaction that writes, waits (as for another query) and then fails.
      const a = t.db.$transaction(async (tx) => {
        await tx.schoolClass.create({ data: { schoolId: school.id, name: 'groep 1 (rolled back)' } });
        await held;
        throw new Error('request A fails');
      }).then(() => 'committed', (err: Error) => err.message);
      await new Promise((resolve) => setTimeout(resolve, 50));
      // Request B meanwhile: a plain write, not part of A.
      const b = t.db.schoolClass.create({ data: { schoolId: school.id, name: 'groep 2' } });
      setTimeout(release, 50);
      await b;
      expect(await a).toBe('request A fails');
      expect((await t.db.schoolClass.findMany({ where: { schoolId: school.id } })).map((c) => c.name)).toEqual(['groep 2']);
    } finally {
      await t.cleanup();
    }
  });
});
