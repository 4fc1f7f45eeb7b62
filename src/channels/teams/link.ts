import { randomInt } from 'node:crypto';
import { isUniqueViolation, type Db } from '../../db/client.js';
import { audit } from '../../staff/audit.js';

/** How long a link code shown in the inbox stays valid. */
export const LINK_CODE_TTL_MS = 15 * 60_000;

export class TeamsLinkError extends Error {
  constructor(readonly reason: 'not_found' | 'already_linked', message: string) {
    super(message);
    this.name = 'TeamsLinkError';
  }
}

/**
 * A one-time code (6 digits, valid 15 minutes) for the staff inbox to show; the person types
 * "link <code>" (or "koppel <code>") to the bot in Teams. A new code replaces an older one.
 *
 * Relinking is deliberate: for an account already linked to a Teams user this throws
 * `already_linked` unless `relink: true` (the inbox asks "opnieuw koppelen?" first). Since
 * a linked account never gets a code otherwise, a valid code on a linked account always
 * means the person chose to move the link; using it replaces the old Teams user.
 */
export async function issueTeamsLinkCode(db: Db, staffId: string, now: Date = new Date(), opts: { relink?: boolean } = {}) {
  const staff = await db.staff.findUnique({ where: { id: staffId } });
  if (!staff || !staff.active) throw new TeamsLinkError('not_found', 'no active staff member with this id');
  if (staff.teamsUserId && !opts.relink) {
    throw new TeamsLinkError('already_linked', 'Dit account is al gekoppeld aan Microsoft Teams. Kies "opnieuw koppelen" om een ander Teams-account te gebruiken.');
  }
  const expiresAt = new Date(now.getTime() + LINK_CODE_TTL_MS);
  for (let attempt = 0; attempt < 10; attempt++) {
    const code = randomInt(0, 1_000_000).toString().padStart(6, '0');
    // Codes are not unique in the schema: avoid handing out one that is live for someone else.
    const clash = await db.staff.count({ where: { teamsLinkCode: code, teamsLinkExpires: { gt: now }, id: { not: staffId } } });
    if (clash) continue;
    await db.staff.update({ where: { id: staffId }, data: { teamsLinkCode: code, teamsLinkExpires: expiresAt } });
    return { code, expiresAt };
  }
  throw new Error('issueTeamsLinkCode: no free code found; try again');
}

/** Removes the Teams link (the inbox's "ontkoppelen"); the cards in Teams are forgotten. */
export async function unlinkTeams(db: Db, staffId: string) {
  await db.$transaction([
    db.teamsCard.deleteMany({ where: { staffId } }),
    db.staff.update({ where: { id: staffId }, data: { teamsUserId: null, teamsReference: null, teamsLinkCode: null, teamsLinkExpires: null } }),
  ]);
}

export type LinkOutcome =
  | { ok: true; staff: { id: string; name: string; schoolId: string }; relinked: boolean }
  | { ok: false; reason: 'unknown_code' | 'expired' | 'user_linked_elsewhere'; otherName?: string };

/**
 * Links the Teams user who typed the code to the staff member who holds it, storing the
 * conversation reference the bot needs to message them later. Unknown and expired codes
 * change nothing. A Teams user already linked to another staff member is refused (one
 * Teams account per Ouderlijn account); re-using the code for the same user just refreshes.
 */
export async function consumeTeamsLinkCode(db: Db, input: { code: string; teamsUserId: string; reference: string; now: Date }): Promise<LinkOutcome> {
  const holders = await db.staff.findMany({ where: { teamsLinkCode: input.code, active: true } });
  const live = holders.filter((s) => s.teamsLinkExpires && s.teamsLinkExpires > input.now);
  if (live.length !== 1) return { ok: false, reason: holders.length > 0 && live.length === 0 ? 'expired' : 'unknown_code' };
  const staff = live[0]!;
  const other = await db.staff.findUnique({ where: { teamsUserId: input.teamsUserId } });
  if (other && other.id !== staff.id) return { ok: false, reason: 'user_linked_elsewhere', otherName: other.name };
  const relinked = staff.teamsUserId !== null && staff.teamsUserId !== input.teamsUserId;
  try {
    await db.$transaction(async (tx) => {
      // The old Teams user's cards live in another conversation: they can no longer be updated.
      if (relinked) await tx.teamsCard.deleteMany({ where: { staffId: staff.id } });
      await tx.staff.update({
        where: { id: staff.id },
        data: { teamsUserId: input.teamsUserId, teamsReference: input.reference, teamsLinkCode: null, teamsLinkExpires: null },
      });
      await audit(tx, { schoolId: staff.schoolId, staffId: staff.id, action: 'teams_link', detail: relinked ? 'relinked to another Teams user' : 'linked' });
    });
  } catch (err) {
    if (isUniqueViolation(err)) return { ok: false, reason: 'user_linked_elsewhere' };
    throw err;
  }
  return { ok: true, staff: { id: staff.id, name: staff.name, schoolId: staff.schoolId }, relinked };
}
