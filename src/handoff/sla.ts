import type { Db } from '../db/client.js';
import type { Logger } from '../logger.js';
import { nextWorkingDayEnd, REMINDER_BEFORE_MS } from './deadline.js';
import { queueNotices } from './notices.js';

/**
 * The service level (issue 5): a reminder to the assignee before the deadline; when it
 * passes with no answer, the parent-contact worker is told; one working day later, the
 * director. Run every minute by every instance; each step is claimed on the ticket row
 * first, so it happens once however many instances run it.
 */
export async function runServiceLevel(db: Db, now: Date, log?: Logger) {
  const open = await db.ticket.findMany({
    where: { status: 'open', firstReplyAt: null, dueAt: { not: null, lte: new Date(now.getTime() + REMINDER_BEFORE_MS) } },
    include: { school: true, assignee: true },
  });
  let reminded = 0;
  let escalated = 0;
  for (const t of open) {
    const due = t.dueAt!;
    // Each step first claims itself with a conditional update (the row as it was read), so
    // with several instances running this job only one of them queues the notices. The claim
    // is the transaction's first statement: SQLite then takes its write lock at once.
    await db.$transaction(async (tx) => {
      const claim = (where: object, data: object) => tx.ticket.updateMany({ where: { id: t.id, status: 'open', firstReplyAt: null, ...where }, data });
      const staffOf = async (role: string) => (await tx.staff.findMany({ where: { schoolId: t.schoolId, role, active: true }, select: { id: true } })).map((s) => s.id);
      if (now < due) {
        if (!t.remindedAt && t.assigneeId && (await claim({ remindedAt: null }, { remindedAt: now })).count === 1) {
          await queueNotices(tx, { ticketId: t.id, staffIds: [t.assigneeId], reason: 'reminder' });
          reminded++;
        }
        return;
      }
      if (t.escalation === 0) {
        const contacts = (await tx.staff.findMany({ where: { schoolId: t.schoolId, role: 'parent_contact', active: true, id: { not: t.assigneeId ?? '' } }, select: { id: true } })).map((s) => s.id);
        // The assignee is the parent-contact worker (or there is none): straight to the director.
        if ((await claim({ escalation: 0 }, { escalation: contacts.length ? 1 : 2 })).count === 1) {
          await queueNotices(tx, { ticketId: t.id, staffIds: contacts.length ? contacts : await staffOf('director'), reason: 'escalated' });
          escalated++;
        }
      } else if (t.escalation === 1 && now >= nextWorkingDayEnd(due, t.school.timezone)) {
        if ((await claim({ escalation: 1 }, { escalation: 2 })).count === 1) {
          await queueNotices(tx, { ticketId: t.id, staffIds: await staffOf('director'), reason: 'escalated' });
          escalated++;
        }
      }
    });
  }
  if (reminded || escalated) log?.info({ reminded, escalated }, 'service level: reminders and escalations queued');
  return { reminded, escalated };
}

/** Median time from a ticket's opening to the first staff reply, per school, over a period. */
export async function medianFirstReply(db: Db, schoolId: string, since: Date) {
  const rows = await db.ticket.findMany({
    where: { schoolId, createdAt: { gte: since }, firstReplyAt: { not: null } },
    select: { createdAt: true, firstReplyAt: true },
  });
  const waits = rows.map((r) => r.firstReplyAt!.getTime() - r.createdAt.getTime()).sort((a, b) => a - b);
  const unanswered = await db.ticket.count({ where: { schoolId, createdAt: { gte: since }, firstReplyAt: null } });
  if (waits.length === 0) return { answered: 0, unanswered, medianMs: null };
  const mid = Math.floor(waits.length / 2);
  const medianMs = waits.length % 2 ? waits[mid]! : Math.round((waits[mid - 1]! + waits[mid]!) / 2);
  return { answered: waits.length, unanswered, medianMs };
}
