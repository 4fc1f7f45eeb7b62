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
    const adapter = releaseFailedTransactions(new PrismaPg({ connectionString: url.toString(), max: POSTGRES_POOL_SIZE }, schema ? { schema } : undefined));
    const client = new PostgresPrismaClient({ adapter });
    // Same models, same API (see the type above); the generated classes differ only in name.
    return Object.assign(client, { dialect: 'postgresql', schema: schema ?? 'public' }) as unknown as Db;
  }
  const file = databaseUrl.slice('file:'.length);
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  return new PrismaClient({ adapter: oneTransactionAtATime(releaseFailedTransactions(new PrismaBetterSQLite3({ url: databaseUrl }))) });
}

/**
 * Prisma 6.19 closes a transaction by sending COMMIT (or ROLLBACK) through the adapter and only
 * then calling the adapter's commit()/rollback(), which give the connection back. When that
 * statement fails it calls neither, and the connection is never given back (prisma/orm#29933):
 * - SQLite (@prisma/adapter-better-sqlite3): COMMIT fails with SQLITE_BUSY when another process
 *   (a backup, the sqlite3 shell) held a read lock past the busy timeout. The one connection
 *   stays inside the failed transaction: the app keeps seeing rows it reported as failed, later
 *   writes join that transaction and are lost at exit, every other process gets "database is
 *   locked" for good, and the adapter's transaction lock is never released, so every later
 *   transaction waits forever.
 * - PostgreSQL (@prisma/adapter-pg): COMMIT or ROLLBACK fails when the connection drops (a
 *   failover, a network cut). The pool client is never released; after `max` such failures the
 *   pool is empty and every request waits forever, long after the database is back.
 * (Both in test/faults.test.ts.) Here such a transaction is rolled back where the connection
 * still can, and handed back through rollback(), so the failure stays that transaction's own.
 */
type AdapterFactory = PrismaBetterSQLite3 | PrismaPg;
function releaseFailedTransactions<F extends AdapterFactory>(factory: F): F {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => {
      const tx = await startTransaction(isolationLevel);
      const executeRaw = tx.executeRaw.bind(tx);
      tx.executeRaw = async (query) => {
        try {
          return await executeRaw(query);
        } catch (err) {
          if (/^\s*(COMMIT|ROLLBACK)\b/i.test(query.sql)) {
            // better-sqlite3's Database: still inside the transaction after a failed COMMIT.
            const sqlite = (tx as unknown as { client?: { inTransaction?: boolean; exec?(sql: string): unknown } }).client;
            if (sqlite?.inTransaction === true && sqlite.exec) sqlite.exec('ROLLBACK');
            // Only gives the connection back (pg's pool drops a broken client on its own; on
            // PostgreSQL a failed COMMIT has already ended the transaction on the server).
            await tx.rollback().catch(() => undefined);
          }
          throw err;
        }
      };
      return tx;
    };
    return adapter;
  };
  return factory;
}

/**
 * @prisma/adapter-better-sqlite3 has one connection. It serialises transactions with a mutex,
 * but a query outside any transaction does not wait for it: while one request awaits between
 * the statements of its transaction, another request's write runs on the same connection,
 * inside that transaction, and is silently lost if it rolls back (a duplicate webhook, a
 * timeout; test/databases.test.ts). Here such queries wait until the open transaction ends.
 * (PostgreSQL's pool gives every transaction its own connection.)
 */
function oneTransactionAtATime(factory: PrismaBetterSQLite3): PrismaBetterSQLite3 {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    /** Settles when the transaction now open ends; null when none is open. */
    let open: Promise<void> | null = null;
    const outside = <A extends unknown[], R>(run: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
      while (open) await open;
      return run(...args);
    };
    adapter.queryRaw = outside(adapter.queryRaw.bind(adapter));
    adapter.executeRaw = outside(adapter.executeRaw.bind(adapter));
    adapter.executeScript = outside(adapter.executeScript.bind(adapter));
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => {
      const tx = await startTransaction(isolationLevel); // holds the adapter's mutex from here
      let end!: () => void;
      const ended = new Promise<void>((resolve) => (end = resolve));
      open = ended;
      const close = () => {
        if (open === ended) open = null;
        end();
      };
      const commit = tx.commit.bind(tx);
      const rollback = tx.rollback.bind(tx);
      tx.commit = async () => {
        try {
          return await commit();
        } finally {
          close();
        }
      };
      tx.rollback = async () => {
        try {
          return await rollback();
        } finally {
          close();
        }
      };
      return tx;
    };
    return adapter;
  };
  return factory;
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
