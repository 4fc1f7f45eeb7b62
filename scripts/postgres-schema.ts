/**
 * Writes prisma/postgres/schema.prisma from prisma/schema.prisma: the same models, the
 * PostgreSQL provider and its own generated client. The models are written once (in the
 * SQLite schema, portable on purpose); test/databases.test.ts fails when the copy is stale.
 *   npm run db:pg-schema            write it
 *   npm run db:pg-schema -- --check exit 1 when it is out of date
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SQLITE_SCHEMA = path.join(root, 'prisma', 'schema.prisma');
export const POSTGRES_SCHEMA = path.join(root, 'prisma', 'postgres', 'schema.prisma');

export function postgresSchemaFrom(sqlite: string): string {
  const swapped = sqlite
    .replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"')
    .replace(/output(\s*)=(\s*)"\.\.\/src\/generated\/prisma"/, 'output$1=$2"../../src/generated/prisma-pg"');
  if (!swapped.includes('"postgresql"') || !swapped.includes('prisma-pg')) {
    throw new Error('prisma/schema.prisma: expected provider = "sqlite" and output = "../src/generated/prisma" to rewrite');
  }
  return `// GENERATED from prisma/schema.prisma by scripts/postgres-schema.ts; edit that file, then run\n// npm run db:pg-schema and write a PostgreSQL migration too (README "Schema changes").\n${swapped}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const wanted = postgresSchemaFrom(readFileSync(SQLITE_SCHEMA, 'utf8'));
  if (process.argv.includes('--check')) {
    const current = readFileSync(POSTGRES_SCHEMA, 'utf8');
    if (current !== wanted) {
      console.error('prisma/postgres/schema.prisma is out of date: run npm run db:pg-schema');
      process.exit(1);
    }
  } else {
    writeFileSync(POSTGRES_SCHEMA, wanted);
    console.log(`wrote ${path.relative(root, POSTGRES_SCHEMA)}`);
  }
}
