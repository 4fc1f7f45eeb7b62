import type { Prisma } from '../generated/prisma/client.js';

export const TICKET_KINDS = ['forward', 'urgent', 'absence'] as const;
export type TicketKind = (typeof TICKET_KINDS)[number];

/**
 * Opens a ticket for a message a person must see, or joins the conversation's open ticket
 * of the same kind. Issue 5 adds assignment, deadlines and staff replies; until then the
 * ticket is the durable record that the message needs a person.
 */
export async function openOrJoinTicket(
  tx: Prisma.TransactionClient,
  input: { schoolId: string; conversationId: string; kind: TicketKind; language: string; studentId?: string | null },
): Promise<string> {
  const open = await tx.ticket.findFirst({
    where: { conversationId: input.conversationId, kind: input.kind, status: 'open', ...(input.studentId ? { studentId: input.studentId } : {}) },
    select: { id: true },
  });
  if (open) return open.id;
  const created = await tx.ticket.create({ data: { ...input, status: 'open' }, select: { id: true } });
  return created.id;
}
