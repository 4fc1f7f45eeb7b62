/**
 * `npm run tokens -- create <school-slug> <name>` prints a new API token for the school's
 * administration system (shown once; only its hash is stored).
 * `npm run tokens -- list <school-slug>` and `npm run tokens -- revoke <id-or-prefix>`.
 */
import { createApiToken, listApiTokens, revokeApiToken } from '../api/tokens.js';
import { loadConfig } from '../config/config.js';
import { createDb } from '../db/client.js';

const USAGE = 'usage: npm run tokens -- create <school-slug> <name> | list <school-slug> | revoke <id-or-prefix>';

async function main() {
  const [command, ...args] = process.argv.slice(2);
  const db = createDb(loadConfig().DATABASE_URL);
  try {
    if (command === 'create' && args.length >= 2) {
      const created = await createApiToken(db, args[0]!, args.slice(1).join(' '));
      console.log(`API token for ${created.school} (${created.prefix}…). Store it now; it is not shown again:\n${created.token}`);
    } else if (command === 'list' && args.length === 1) {
      const tokens = await listApiTokens(db, args[0]!);
      if (!tokens.length) console.log('no tokens');
      for (const t of tokens) {
        console.log(`${t.prefix}…  ${t.name}  created ${t.createdAt.toISOString()}  ${t.revokedAt ? `REVOKED ${t.revokedAt.toISOString()}` : `last used ${t.lastUsedAt?.toISOString() ?? 'never'}`}`);
      }
    } else if (command === 'revoke' && args.length === 1) {
      const n = await revokeApiToken(db, args[0]!);
      if (n === 0) throw new Error(`no active token with id or prefix "${args[0]}"`);
      console.log(`revoked ${n} token(s)`);
    } else {
      console.error(USAGE);
      process.exitCode = 2;
    }
  } finally {
    await db.$disconnect();
  }
}

main().catch((err) => {
  console.error(`error: ${(err as Error).message}`);
  process.exit(1);
});
