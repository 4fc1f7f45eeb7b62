import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';

// The Prisma CLI (migrate deploy / diff / db push) runs on the JS schema engine through a
// driver adapter: the native schema engine binary cannot be downloaded here (README).
// DATABASE_URL picks the database, as in the app: file: is SQLite (prisma/schema.prisma and
// prisma/migrations), postgresql:// is PostgreSQL (prisma/postgres/, generated from the former).
process.env.DATABASE_URL ||= 'file:./data/ouderlijn.db';
const url = process.env.DATABASE_URL;
const postgres = /^postgres(ql)?:\/\//.test(url);
const dir = postgres ? path.join('prisma', 'postgres') : 'prisma';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join(dir, 'schema.prisma'),
  migrations: { path: path.join(dir, 'migrations') },
  async adapter() {
    if (postgres) {
      // ?schema=name selects a PostgreSQL schema (tests use one per run).
      const schema = new URL(url).searchParams.get('schema') ?? undefined;
      return new PrismaPg({ connectionString: url }, schema ? { schema } : undefined);
    }
    if (!url.startsWith('file:')) throw new Error(`DATABASE_URL must start with file: or postgresql:// (got ${url.split(':')[0]}:)`);
    const file = url.slice('file:'.length);
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    return new PrismaBetterSQLite3({ url });
  },
});
