import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/client.js';

/** Tokens look like `olk_<43 url-safe characters>`: 256 random bits. */
const PREFIX = 'olk_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Creates an API token for a school's administration system. Only its SHA-256 hash is
 * stored (a random 256-bit token needs no slow hash); the token is returned once.
 */
export async function createApiToken(db: Db, schoolSlug: string, name: string) {
  const school = await db.school.findUnique({ where: { slug: schoolSlug } });
  if (!school) throw new Error(`no school with slug "${schoolSlug}"`);
  if (!name.trim()) throw new Error('a token needs a name, e.g. "ParnasSys koppeling"');
  const token = PREFIX + randomBytes(32).toString('base64url');
  const row = await db.apiToken.create({
    data: { schoolId: school.id, name: name.trim(), tokenHash: hashToken(token), prefix: token.slice(0, PREFIX.length + 6) },
  });
  return { token, id: row.id, prefix: row.prefix, school: school.slug };
}

/** Revokes by id or by the prefix shown in `list`. Returns how many were revoked. */
export async function revokeApiToken(db: Db, idOrPrefix: string): Promise<number> {
  const { count } = await db.apiToken.updateMany({
    where: { OR: [{ id: idOrPrefix }, { prefix: idOrPrefix }], revokedAt: null },
    data: { revokedAt: new Date() },
  });
  return count;
}

export function listApiTokens(db: Db, schoolSlug: string) {
  return db.apiToken.findMany({
    where: { school: { slug: schoolSlug } },
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true },
    orderBy: { createdAt: 'asc' },
  });
}

/** The school a presented token belongs to, or null when unknown or revoked. */
export async function authenticateToken(db: Db, token: string) {
  if (!token.startsWith(PREFIX)) return null;
  const row = await db.apiToken.findUnique({ where: { tokenHash: hashToken(token) }, include: { school: true } });
  if (!row || row.revokedAt) return null;
  await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  return { tokenId: row.id, tokenName: row.name, school: row.school };
}
