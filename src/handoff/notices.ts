import type { Prisma } from '../generated/prisma/client.js';

/** Why a staff member hears of a ticket. */
export type NoticeReason = 'assigned' | 'urgent' | 'reminder' | 'escalated' | 'parent_wrote' | 'reassigned';
export type NoticeChannel = 'teams' | 'email' | 'sms';

/** Reasons that go out by every channel the person has, a phone text included. */
const EVERY_CHANNEL: ReadonlySet<NoticeReason> = new Set(['urgent', 'escalated']);

/**
 * Queues Teams, e-mail (and for urgent matters SMS) notices for staff about a ticket.
 * The inbox needs none: it shows the ticket itself. The notifier (notifier.ts) sends them.
 */
export async function queueNotices(tx: Prisma.TransactionClient, input: { ticketId: string; staffIds: string[]; reason: NoticeReason }) {
  if (input.staffIds.length === 0) return 0;
  const staff = await tx.staff.findMany({ where: { id: { in: [...new Set(input.staffIds)] }, active: true } });
  const rows = staff.flatMap((s) => {
    const channels: NoticeChannel[] = [];
    if (s.teamsReference) channels.push('teams');
    if (s.email && (s.notifyByEmail || EVERY_CHANNEL.has(input.reason))) channels.push('email');
    if (s.phone && EVERY_CHANNEL.has(input.reason)) channels.push('sms');
    return channels.map((channel) => ({ staffId: s.id, ticketId: input.ticketId, channel, reason: input.reason }));
  });
  if (rows.length) await tx.staffNotification.createMany({ data: rows });
  return rows.length;
}
