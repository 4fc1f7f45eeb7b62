import type { Db } from '../db/client.js';
import type { Prisma } from '../generated/prisma/client.js';

export type AuditAction =
  | 'login' | 'login_failed' | 'logout' | 'view_ticket' | 'claim' | 'reassign' | 'reply' | 'close'
  | 'acknowledge_absence' | 'send_alert' | 'teams_link';

/** Records who looked at or did what. Every view of a conversation and every reply lands here. */
export function audit(
  db: Db | Prisma.TransactionClient,
  event: { schoolId: string; staffId: string | null; action: AuditAction; ticketId?: string | null; detail?: string | null },
) {
  return db.auditEvent.create({
    data: { schoolId: event.schoolId, staffId: event.staffId, action: event.action, ticketId: event.ticketId ?? null, detail: event.detail ?? null },
  });
}
