import type { Db } from '../db/client.js';
import type { Logger } from '../logger.js';
import { nextWorkingDayEnd, REMINDER_BEFORE_MS } from './deadline.js';
import { queueNotices } from './notices.js';

/**
 * The service level (issue 5): a reminder to the assignee before the deadline; when it
 * passes with no answer, the parent-contact worker is told; one working day later, the
 * director. Run every minute; every step is recorded on the ticket, so it happens once.
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
    await db.$transaction(async (tx) => {
      const staffOf = async (role: string) => (await tx.staff.findMany({ where: { schoolId: t.schoolId, role, active: true }, select: { id: true } })).map((s) => s.id);
      if (now < due) {
        if (!t.remindedAt && t.assigneeId) {
          await queueNotices(tx, { ticketId: t.id, staffIds: [t.assigneeId], reason: 'reminder' });
          await tx.ticket.update({ where: { id: t.id }, data: { remindedAt: now } });
          reminded++;
        }
        return;
      }
      if (t.escalation === 0) {
        const contacts = (await staffOf('parent_contact')).filter((id) => id !== t.assigneeId);
        // The assignee is the parent-contact worker (or there is none): straight to the director.
        const to = contacts.length ? contacts : await staffOf('director');
        await queueNotices(tx, { ticketId: t.id, staffIds: to, reason: 'escalated' });
        await tx.ticket.update({ where: { id: t.id }, data: { escalation: contacts.length ? 1 : 2 } });
        escalated++;
      } else if (t.escalation === 1 && now >= nextWorkingDayEnd(due, t.school.timezone)) {
        await queueNotices(tx, { ticketId: t.id, staffIds: await staffOf('director'), reason: 'escalated' });
        await tx.ticket.update({ where: { id: t.id }, data: { escalation: 2 } });
        escalated++;
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
