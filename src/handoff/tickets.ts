import type { Prisma } from '../generated/prisma/client.js';
import { chooseAssignee } from './assign.js';
import { replyDeadline } from './deadline.js';
import { queueNotices } from './notices.js';

export const TICKET_KINDS = ['forward', 'urgent', 'absence'] as const;
export type TicketKind = (typeof TICKET_KINDS)[number];

/** Urgent tickets: someone must have acted within half an hour, or it escalates. */
export const URGENT_DUE_MS = 30 * 60_000;

export interface TicketInput {
  schoolId: string;
  conversationId: string;
  kind: TicketKind;
  language: string;
  studentId?: string | null;
  topic?: string | null;
  /** When the parent's message arrived: the deadline counts from here. */
  at: Date;
}

export interface TicketResult {
  id: string;
  created: boolean;
  assigneeId: string | null;
  dueAt: Date | null;
}

/**
 * Opens a ticket for a message a person must see, or joins the conversation's open ticket
 * of the same kind (and child). A new ticket gets its assignee (assign.ts) and deadline,
 * and notices for the assignee (urgent: attendance and the director) are queued in the
 * same transaction, so a crash loses the ticket and its notices together or neither.
 */
export async function openOrJoinTicket(tx: Prisma.TransactionClient, input: TicketInput): Promise<TicketResult> {
  const open = await tx.ticket.findFirst({
    where: { conversationId: input.conversationId, kind: input.kind, status: 'open', ...(input.studentId ? { studentId: input.studentId } : {}) },
    orderBy: { createdAt: 'desc' },
  });
  if (open) {
    if (open.assigneeId) await queueNotices(tx, { ticketId: open.id, staffIds: [open.assigneeId], reason: 'parent_wrote' });
    return { id: open.id, created: false, assigneeId: open.assigneeId, dueAt: open.dueAt };
  }
  return createTicket(tx, input);
}

export async function createTicket(tx: Prisma.TransactionClient, input: TicketInput): Promise<TicketResult> {
  const school = await tx.school.findUniqueOrThrow({ where: { id: input.schoolId } });
  const topic = input.topic ?? null;
  const studentId = input.studentId ?? null;
  const assignment = await chooseAssignee(tx, { schoolId: input.schoolId, kind: input.kind, topic, studentId });
  const dueAt = input.kind === 'urgent'
    ? new Date(input.at.getTime() + URGENT_DUE_MS)
    : replyDeadline(input.at, school.replyWithinDays, school.timezone);
  const ticket = await tx.ticket.create({
    data: {
      schoolId: input.schoolId, conversationId: input.conversationId, kind: input.kind, language: input.language,
      studentId, topic, assigneeId: assignment.staffId, assignedBecause: assignment.because, dueAt, status: 'open', createdAt: input.at,
    },
  });
  await queueNotices(tx, { ticketId: ticket.id, staffIds: assignment.notify, reason: input.kind === 'urgent' ? 'urgent' : 'assigned' });
  return { id: ticket.id, created: true, assigneeId: assignment.staffId, dueAt };
}

/** The open ticket a person holds on this conversation: the bot stays quiet while it exists. */
export function heldTicket(tx: Prisma.TransactionClient, conversationId: string) {
  return tx.ticket.findFirst({
    where: { conversationId, status: 'open', heldAt: { not: null } },
    orderBy: { heldAt: 'desc' },
  });
}
