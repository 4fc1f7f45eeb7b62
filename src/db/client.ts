import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.js';
import { PrismaClient as PostgresPrismaClient } from '../generated/prisma-pg/client.js';

/**
 * The database client type. Both generated clients (SQLite and PostgreSQL) come from the
 * same models (prisma/postgres/schema.prisma is generated from prisma/schema.prisma), so
 * they have the same API; the code is written against the SQLite one's types.
 */
export type Db = PrismaClient;
export { Prisma } from '../generated/prisma/client.js';

export type Dialect = 'sqlite' | 'postgresql';

export function dialectOf(databaseUrl: string): Dialect {
  if (databaseUrl.startsWith('file:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return 'postgresql';
  throw new Error('DATABASE_URL: must start with file: (SQLite) or postgresql:// (PostgreSQL)');
}

/** Connections per process to PostgreSQL (pg's pool); several instances share the server. */
const POSTGRES_POOL_SIZE = 10;

/**
 * Opens the database named by DATABASE_URL through a driver adapter: SQLite (file:) is the
 * embedded default, PostgreSQL (postgresql://…, optional ?schema=name) for production.
 */
export function createDb(databaseUrl: string): Db {
  if (dialectOf(databaseUrl) === 'postgresql') {
    const url = new URL(databaseUrl);
    const schema = url.searchParams.get('schema');
    url.searchParams.delete('schema');
    const adapter = new PrismaPg({ connectionString: url.toString(), max: POSTGRES_POOL_SIZE }, schema ? { schema } : undefined);
    const client = new PostgresPrismaClient({ adapter });
    // Same models, same API (see the type above); the generated classes differ only in name.
    return Object.assign(client, { dialect: 'postgresql', schema: schema ?? 'public' }) as unknown as Db;
  }
  const file = databaseUrl.slice('file:'.length);
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: databaseUrl }) });
}

/** Which database a client talks to (for the few places that use a dialect's own SQL). */
export function dialectOfDb(db: Db): Dialect {
  return (db as unknown as { dialect?: Dialect }).dialect ?? 'sqlite';
}

/** A table name for raw SQL: schema-qualified on PostgreSQL (tests use one schema each). */
export function qualifiedTable(db: Db, table: string): string {
  const schema = (db as unknown as { schema?: string }).schema;
  return dialectOfDb(db) === 'postgresql' && schema ? `"${schema.replace(/"/g, '""')}"."${table}"` : `"${table}"`;
}

/** True when Prisma reports a unique-constraint violation (P2002). */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === 'P2002';
}
