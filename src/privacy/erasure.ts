import type { Db } from '../db/client.js';
import { findScope } from './export.js';
import { anonymiseConversation } from './retention.js';

/**
 * Erases one phone number's data at one school (AVG art. 17), in one transaction:
 *
 * - the guardian row(s) with this number are deleted (with their links to children);
 * - their conversations, and any conversation of the number itself (also an unknown sender's),
 *   lose the number, the language and pending state; every message in them loses its body,
 *   the parent's address and the provider id, but the row stays as an anonymous count
 *   (direction, route, kind, status, segments). Outbound messages still waiting are failed,
 *   so nothing more goes out;
 * - open tickets on those conversations are closed with `closedReason: 'erasure'` (the parent
 *   is not messaged), queued staff notices for them are skipped, and every ticket of these
 *   conversations loses its link to the child: kind, topic, status and dates stay;
 * - absences they reported keep the child, days, part of day and reason category (the
 *   school's attendance record is a legal obligation, Leerplichtwet), but lose the parent's
 *   words and every link to the guardian, conversation and message;
 * - alert deliveries to them lose the guardian and conversation link;
 * - an AuditEvent `erasure` records that it happened and the counts, never the number.
 *
 * Staff accounts, students (also an adult student's own number) and the school's other
 * families are not touched.
 */
export interface ErasureResult {
  guardians: number;
  conversations: number;
  messages: number;
  ticketsClosed: number;
  tickets: number;
  absences: number;
  alertDeliveries: number;
}

export async function eraseGuardianData(
  db: Db,
  school: { id: string },
  phone: string,
  opts: { now?: Date; requestedBy: string },
): Promise<ErasureResult | null> {
  const now = opts.now ?? new Date();
  return db.$transaction(async (tx) => {
    const scope = await findScope(tx, school.id, phone);
    if (scope.guardians.length === 0 && scope.conversations.length === 0) return null;
    const guardianIds = scope.guardians.map((g) => g.id);
    const conversationIds = scope.conversations.map((c) => c.id);

    const tickets = await tx.ticket.findMany({ where: { conversationId: { in: conversationIds } }, select: { id: true } });
    const ticketIds = tickets.map((t) => t.id);
    const closed = await tx.ticket.updateMany({
      where: { id: { in: ticketIds }, status: 'open' },
      data: { status: 'closed', closedAt: now, closedReason: 'erasure', closedById: null },
    });
    await tx.ticket.updateMany({ where: { id: { in: ticketIds } }, data: { studentId: null } });
    await tx.staffNotification.updateMany({
      where: { ticketId: { in: ticketIds }, status: 'queued' },
      data: { status: 'skipped', error: 'the parent\'s data was erased' },
    });

    const absences = await tx.absence.updateMany({
      where: { schoolId: school.id, OR: [{ guardianId: { in: guardianIds } }, { conversationId: { in: conversationIds } }] },
      data: { guardianId: null, conversationId: null, messageId: null, parentWords: '' },
    });
    const deliveries = await tx.alertDelivery.updateMany({
      where: { alert: { schoolId: school.id }, OR: [{ guardianId: { in: guardianIds } }, { conversationId: { in: conversationIds } }] },
      data: { guardianId: null, conversationId: null },
    });

    let messages = 0;
    for (const id of conversationIds) messages += await anonymiseConversation(tx, id, now);
    const guardians = await tx.guardian.deleteMany({ where: { id: { in: guardianIds } } });

    const result: ErasureResult = {
      guardians: guardians.count, conversations: conversationIds.length, messages,
      ticketsClosed: closed.count, tickets: ticketIds.length, absences: absences.count, alertDeliveries: deliveries.count,
    };
    // The record of the erasure holds who asked (a token's or CLI user's name) and counts, never the number.
    await tx.auditEvent.create({
      data: { schoolId: school.id, staffId: null, action: 'erasure', detail: JSON.stringify({ by: opts.requestedBy, ...result }) },
    });
    return result;
  });
}
