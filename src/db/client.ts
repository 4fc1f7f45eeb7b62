import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '../generated/prisma/client.js';

export type Db = PrismaClient;
export { Prisma } from '../generated/prisma/client.js';

/**
 * Opens the database named by DATABASE_URL through a driver adapter. SQLite (file:) is the
 * embedded default; PostgreSQL arrives with issue 6 and is refused clearly until then.
 */
export function createDb(databaseUrl: string): Db {
  if (!databaseUrl.startsWith('file:')) {
    throw new Error(
      'DATABASE_URL: PostgreSQL is not wired up yet (issue 6); use a file: URL such as file:./data/ouderlijn.db',
    );
  }
  const file = databaseUrl.slice('file:'.length);
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: databaseUrl }) });
}

/** True when Prisma reports a unique-constraint violation (P2002). */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === 'P2002';
}
