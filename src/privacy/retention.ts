import type { Db } from '../db/client.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';

/**
 * The retention job (AVG/GDPR storage limitation). Per school, anything older than
 * `School.retentionDays` (never less than 30) loses its content but keeps its metadata:
 *
 * - messages: body blanked, sourceBody and contentVariables nulled, `purgedAt` set; the row
 *   stays with direction, channel, route, intent, kind, status and segments, so statistics
 *   and the service level keep counting it. Messages on a ticket that is still open, and
 *   outbound messages not yet handed to the provider (queued, sending), are never touched.
 * - absences: the parent's own words blanked; child, days, part of day, reason category and
 *   status stay (the school's attendance record). Not while the conversation has an open ticket.
 * - conversations: a pending MORE continuation or absence question untouched that long is
 *   dropped; a conversation of a number that is not (or no longer) a guardian, silent that
 *   long, not opted out and without an open ticket, loses its number (anonymised like an erasure).
 * - staff notices older than the period that are no longer queued are deleted.
 *
 * The audit log is kept for `School.auditRetentionDays` (default 730, never less than the
 * message period): who looked at which conversation must stay answerable after the content
 * is gone. Independent of schools: expired staff sessions and Teams link codes are deleted.
 *
 * Idempotent (every step selects only rows it has not handled), and it works in batches of
 * `batchSize` rows per statement so SQLite is never locked for long.
 */

export const MIN_RETENTION_DAYS = 30;
export const DEFAULT_RETENTION_DAYS = 365;
export const DEFAULT_AUDIT_RETENTION_DAYS = 730;
const DAY_MS = 86_400_000;
/** Address given to a conversation whose number was erased or expired. */
export const ERASED_ADDRESS_PREFIX = 'erased:';
export const ERASED_PARTY = 'erased';

export interface RetentionCounts {
  messages: number;
  absences: number;
  pendingState: number;
  anonymisedConversations: number;
  notifications: number;
  auditEvents: number;
}

export interface SchoolRetention {
  school: string;
  retentionDays: number;
  auditRetentionDays: number;
  cutoff: string;
  auditCutoff: string;
  counts: RetentionCounts;
}

export interface RetentionReport {
  dryRun: boolean;
  ranAt: string;
  schools: SchoolRetention[];
  expiredSessions: number;
  expiredTeamsLinkCodes: number;
  total: RetentionCounts;
}

export interface RetentionOptions {
  now?: Date;
  dryRun?: boolean;
  /** Rows per statement (default 500). */
  batchSize?: number;
  /** Only this school (slug). */
  school?: string;
  log?: Logger;
}

/** The periods a school's settings give, with the floors applied. */
export function retentionPeriods(school: { retentionDays: number; auditRetentionDays: number }) {
  const retentionDays = Math.max(MIN_RETENTION_DAYS, school.retentionDays);
  return { retentionDays, auditRetentionDays: Math.max(retentionDays, school.auditRetentionDays) };
}

export async function runRetention(db: Db, opts: RetentionOptions = {}): Promise<RetentionReport> {
  const now = opts.now ?? new Date();
  const dryRun = opts.dryRun ?? false;
  const batchSize = opts.batchSize ?? 500;
  const schools = await db.school.findMany({ where: opts.school ? { slug: opts.school } : {}, orderBy: { slug: 'asc' } });
  if (opts.school && schools.length === 0) throw new Error(`no school with slug "${opts.school}"`);

  const report: RetentionReport = {
    dryRun, ranAt: now.toISOString(), schools: [], expiredSessions: 0, expiredTeamsLinkCodes: 0,
    total: { messages: 0, absences: 0, pendingState: 0, anonymisedConversations: 0, notifications: 0, auditEvents: 0 },
  };

  for (const school of schools) {
    const { retentionDays, auditRetentionDays } = retentionPeriods(school);
    const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
    const auditCutoff = new Date(now.getTime() - auditRetentionDays * DAY_MS);
    const openTicketConversations = [...new Set((await db.ticket.findMany({
      where: { schoolId: school.id, status: 'open' }, select: { conversationId: true },
    })).map((t) => t.conversationId))];

    const messageWhere: Prisma.MessageWhereInput = {
      schoolId: school.id,
      createdAt: { lt: cutoff },
      purgedAt: null,
      AND: [
        { OR: [{ ticketId: null }, { ticket: { status: { not: 'open' } } }] },
        { OR: [{ direction: 'inbound' }, { status: { notIn: ['queued', 'sending'] } }] },
      ],
    };
    const absenceWhere: Prisma.AbsenceWhereInput = {
      schoolId: school.id,
      createdAt: { lt: cutoff },
      parentWords: { not: '' },
      OR: [{ conversationId: null }, { conversationId: { notIn: openTicketConversations } }],
    };
    const pendingWhere: Prisma.ConversationWhereInput = {
      schoolId: school.id,
      updatedAt: { lt: cutoff },
      OR: [{ pendingMore: { not: null } }, { pendingAbsence: { not: null } }],
    };
    const expiredNumberWhere: Prisma.ConversationWhereInput = {
      schoolId: school.id,
      guardianId: null,
      optedOutAt: null,
      updatedAt: { lt: cutoff },
      NOT: { address: { startsWith: ERASED_ADDRESS_PREFIX } },
      AND: [
        { OR: [{ lastInboundAt: null }, { lastInboundAt: { lt: cutoff } }] },
        { messages: { none: { createdAt: { gte: cutoff } } } },
        { tickets: { none: { status: 'open' } } },
      ],
    };
    const notificationWhere: Prisma.StaffNotificationWhereInput = {
      ticket: { schoolId: school.id }, createdAt: { lt: cutoff }, status: { not: 'queued' },
    };
    const auditWhere: Prisma.AuditEventWhereInput = { schoolId: school.id, createdAt: { lt: auditCutoff } };

    let counts: RetentionCounts;
    if (dryRun) {
      counts = {
        messages: await db.message.count({ where: messageWhere }),
        absences: await db.absence.count({ where: absenceWhere }),
        pendingState: await db.conversation.count({ where: pendingWhere }),
        anonymisedConversations: await db.conversation.count({ where: expiredNumberWhere }),
        notifications: await db.staffNotification.count({ where: notificationWhere }),
        auditEvents: await db.auditEvent.count({ where: auditWhere }),
      };
    } else {
      counts = {
        messages: await inBatches(batchSize,
          () => db.message.findMany({ where: messageWhere, select: { id: true }, take: batchSize }),
          (ids) => db.message.updateMany({ where: { id: { in: ids }, purgedAt: null }, data: { body: '', sourceBody: null, contentVariables: null, purgedAt: now } })),
        absences: await inBatches(batchSize,
          () => db.absence.findMany({ where: absenceWhere, select: { id: true }, take: batchSize }),
          (ids) => db.absence.updateMany({ where: { id: { in: ids } }, data: { parentWords: '' } })),
        pendingState: await inBatches(batchSize,
          () => db.conversation.findMany({ where: pendingWhere, select: { id: true }, take: batchSize }),
          (ids) => db.conversation.updateMany({ where: { id: { in: ids } }, data: { pendingMore: null, pendingAbsence: null } })),
        anonymisedConversations: await inBatches(batchSize,
          () => db.conversation.findMany({ where: expiredNumberWhere, select: { id: true }, take: batchSize }),
          async (ids) => {
            await db.$transaction(async (tx) => {
              for (const id of ids) await anonymiseConversation(tx, id, now);
            });
            return { count: ids.length };
          }),
        notifications: await inBatches(batchSize,
          () => db.staffNotification.findMany({ where: notificationWhere, select: { id: true }, take: batchSize }),
          (ids) => db.staffNotification.deleteMany({ where: { id: { in: ids } } })),
        auditEvents: await inBatches(batchSize,
          () => db.auditEvent.findMany({ where: auditWhere, select: { id: true }, take: batchSize }),
          (ids) => db.auditEvent.deleteMany({ where: { id: { in: ids } } })),
      };
    }
    for (const key of Object.keys(counts) as (keyof RetentionCounts)[]) report.total[key] += counts[key];
    report.schools.push({
      school: school.slug, retentionDays, auditRetentionDays, cutoff: cutoff.toISOString(), auditCutoff: auditCutoff.toISOString(), counts,
    });
  }

  // Not per school: sessions and link codes that can no longer be used.
  const sessionWhere: Prisma.StaffSessionWhereInput = { expiresAt: { lt: now } };
  const linkWhere: Prisma.StaffWhereInput = { teamsLinkExpires: { lt: now }, ...(opts.school ? { school: { slug: opts.school } } : {}) };
  if (opts.school) sessionWhere.staff = { school: { slug: opts.school } };
  if (dryRun) {
    report.expiredSessions = await db.staffSession.count({ where: sessionWhere });
    report.expiredTeamsLinkCodes = await db.staff.count({ where: linkWhere });
  } else {
    report.expiredSessions = await inBatches(batchSize,
      () => db.staffSession.findMany({ where: sessionWhere, select: { id: true }, take: batchSize }),
      (ids) => db.staffSession.deleteMany({ where: { id: { in: ids } } }));
    report.expiredTeamsLinkCodes = (await db.staff.updateMany({ where: linkWhere, data: { teamsLinkCode: null, teamsLinkExpires: null } })).count;
  }

  opts.log?.info({ dryRun, ...report.total, expiredSessions: report.expiredSessions, schools: report.schools.length }, dryRun ? 'retention: dry run' : 'retention: old content removed');
  return report;
}

/**
 * Selects up to `size` ids, handles them, and repeats until a batch comes back short.
 * Each round is its own statement, so other writers get the database in between.
 */
async function inBatches(size: number, select: () => Promise<{ id: string }[]>, apply: (ids: string[]) => Promise<{ count: number }>): Promise<number> {
  let total = 0;
  for (;;) {
    const ids = (await select()).map((r) => r.id);
    if (ids.length === 0) return total;
    total += (await apply(ids)).count;
    if (ids.length < size) return total;
    // Give the event loop (webhooks, the outbox) a turn between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Removes the number from a conversation and its messages; the rows stay as anonymous counts.
 * Used by erasure (src/privacy/erasure.ts) and for expired unknown numbers.
 */
export async function anonymiseConversation(tx: Prisma.TransactionClient, conversationId: string, now: Date) {
  const messages = await tx.message.updateMany({
    where: { conversationId },
    data: { body: '', sourceBody: null, contentVariables: null, providerId: null, purgedAt: now },
  });
  await tx.message.updateMany({ where: { conversationId, direction: 'inbound' }, data: { fromAddress: ERASED_PARTY } });
  await tx.message.updateMany({ where: { conversationId, direction: 'outbound' }, data: { toAddress: ERASED_PARTY } });
  // Nothing may still go out to a number that is gone.
  await tx.message.updateMany({
    where: { conversationId, direction: 'outbound', status: { in: ['queued', 'sending'] } },
    data: { status: 'failed', statusReason: 'erased before sending', nextAttemptAt: null },
  });
  await tx.conversation.update({
    where: { id: conversationId },
    data: {
      address: `${ERASED_ADDRESS_PREFIX}${conversationId}`, guardianId: null, language: null, optedOutAt: null,
      lastInboundAt: null, pendingMore: null, pendingAbsence: null,
    },
  });
  return messages.count;
}

/**
 * Runs the retention job once a day (first run a minute after start), never two at once.
 * Returns a stop function for shutdown.
 */
export function scheduleRetention(db: Db, log: Logger, opts: { everyMs?: number; firstAfterMs?: number } = {}): () => void {
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    runRetention(db, { log })
      .catch((err) => log.error({ err }, 'retention run failed'))
      .finally(() => { running = false; });
  };
  const first = setTimeout(run, opts.firstAfterMs ?? 60_000);
  const daily = setInterval(run, opts.everyMs ?? DAY_MS);
  first.unref();
  daily.unref();
  return () => {
    clearTimeout(first);
    clearInterval(daily);
  };
}
