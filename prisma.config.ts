import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';

// The Prisma CLI (migrate deploy / diff / db push) runs on the JS schema engine through a
// driver adapter: the native schema engine binary cannot be downloaded here (README).
// The schema reads env("DATABASE_URL"): give it the same default as the app (src/config).
process.env.DATABASE_URL ||= 'file:./data/ouderlijn.db';
const url = process.env.DATABASE_URL;

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  async adapter() {
    if (!url.startsWith('file:')) {
      throw new Error(`DATABASE_URL must be a file: URL for this schema (got ${url.split(':')[0]}:)`);
    }
    const file = url.slice('file:'.length);
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    return new PrismaBetterSQLite3({ url });
  },
});
