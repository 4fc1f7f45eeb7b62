import type { Db } from '../db/client.js';
import type { Prisma } from '../generated/prisma/client.js';

/**
 * Everything Ouderlijn holds about one phone number at one school (AVG art. 15, right of
 * access; art. 20, portability): the guardian record(s) with this number, their children
 * (name, class), their conversations with every message in and out, the absences they
 * reported, the tickets on their conversations (kind, status, dates; not staff notes, there
 * are none), and the absence alerts sent to them. Also works for a number that is not a
 * guardian (an unknown sender): then only its conversations and what hangs off them.
 *
 * Nothing of another family: other guardians of the same child, alerts to the other parent
 * and absences the other parent reported are left out.
 */

export interface GuardianScope {
  guardians: { id: string }[];
  conversations: { id: string }[];
  addresses: string[];
}

/** The guardian rows with this number (as SMS phone or WhatsApp) and every conversation of them or of the number. */
export async function findScope(db: Db | Prisma.TransactionClient, schoolId: string, phone: string): Promise<GuardianScope> {
  const guardians = await db.guardian.findMany({
    where: { schoolId, OR: [{ phone }, { whatsapp: phone }] },
    select: { id: true, phone: true, whatsapp: true },
    orderBy: { createdAt: 'asc' },
  });
  const addresses = [...new Set([phone, ...guardians.flatMap((g) => [g.phone, g.whatsapp]).filter((a): a is string => Boolean(a))])];
  const conversations = await db.conversation.findMany({
    where: { schoolId, OR: [{ address: { in: addresses } }, ...(guardians.length ? [{ guardianId: { in: guardians.map((g) => g.id) } }] : [])] },
    select: { id: true },
    orderBy: { createdAt: 'asc' },
  });
  return { guardians, conversations, addresses };
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export async function exportGuardianData(db: Db, school: { id: string; slug: string; name: string }, phone: string, now = new Date()) {
  const scope = await findScope(db, school.id, phone);
  if (scope.guardians.length === 0 && scope.conversations.length === 0) return null;
  const guardianIds = scope.guardians.map((g) => g.id);
  const conversationIds = scope.conversations.map((c) => c.id);

  const guardians = await db.guardian.findMany({
    where: { id: { in: guardianIds } },
    include: { students: { include: { student: { include: { class: true } } } } },
    orderBy: { createdAt: 'asc' },
  });
  const conversations = await db.conversation.findMany({
    where: { id: { in: conversationIds } },
    include: { messages: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } },
    orderBy: { createdAt: 'asc' },
  });
  const tickets = await db.ticket.findMany({
    where: { conversationId: { in: conversationIds } },
    include: { student: true },
    orderBy: { createdAt: 'asc' },
  });
  const absences = await db.absence.findMany({
    where: { schoolId: school.id, OR: [{ guardianId: { in: guardianIds } }, { conversationId: { in: conversationIds } }] },
    include: { student: { include: { class: true } } },
    orderBy: { createdAt: 'asc' },
  });
  const deliveries = await db.alertDelivery.findMany({
    where: { alert: { schoolId: school.id }, OR: [{ guardianId: { in: guardianIds } }, { conversationId: { in: conversationIds } }] },
    include: { alert: { include: { student: true } } },
    orderBy: { alert: { createdAt: 'asc' } },
  });
  const deliveryMessages = new Map((await db.message.findMany({
    where: { id: { in: deliveries.map((d) => d.messageId).filter((m): m is string => Boolean(m)) } },
    select: { id: true, status: true },
  })).map((m) => [m.id, m.status]));

  return {
    exportedAt: now.toISOString(),
    school: { slug: school.slug, name: school.name },
    phone,
    note: 'Messages older than the school\'s retention period have an empty body ("purgedAt" says when it was removed).',
    guardians: guardians.map((g) => ({
      name: g.name, phone: g.phone, whatsapp: g.whatsapp, language: g.language, languageSource: g.languageSource,
      alertConsent: g.alertConsent, createdAt: iso(g.createdAt), updatedAt: iso(g.updatedAt),
      children: g.students.map((l) => ({
        firstName: l.student.firstName, lastName: l.student.lastName, class: l.student.class?.name ?? null,
        relationship: l.relationship, hasCustody: l.hasCustody,
      })),
    })),
    conversations: conversations.map((c) => ({
      channel: c.channel, address: c.address, language: c.language, optedOutAt: iso(c.optedOutAt),
      lastInboundAt: iso(c.lastInboundAt), createdAt: iso(c.createdAt),
      pendingMore: c.pendingMore !== null, pendingAbsenceQuestion: c.pendingAbsence !== null,
      messages: c.messages.map((m) => ({
        direction: m.direction, channel: m.channel, from: m.fromAddress, to: m.toAddress, at: iso(m.createdAt),
        body: m.body, ...(m.sourceBody !== null ? { staffOriginalText: m.sourceBody } : {}),
        language: m.language, route: m.route, intent: m.intent, kind: m.kind, status: m.status,
        statusReason: m.statusReason, sentAt: iso(m.sentAt), deliveredAt: iso(m.deliveredAt), purgedAt: iso(m.purgedAt),
        fromStaff: m.staffId !== null,
      })),
    })),
    absences: absences.map((a) => ({
      child: a.student ? `${a.student.firstName} ${a.student.lastName}` : null,
      class: a.student?.class?.name ?? null,
      reportedName: a.reportedName, reportedClass: a.reportedClass,
      startDate: a.startDate, endDate: a.endDate, dayPart: a.dayPart, time: a.time, reason: a.reason,
      parentWords: a.parentWords, verified: a.verified, late: a.late, source: a.source, status: a.status,
      reportedAt: iso(a.createdAt), correctedAt: iso(a.correctedAt), acknowledgedAt: iso(a.acknowledgedAt),
    })),
    tickets: tickets.map((t) => ({
      kind: t.kind, topic: t.topic, status: t.status, language: t.language,
      child: t.student ? `${t.student.firstName} ${t.student.lastName}` : null,
      createdAt: iso(t.createdAt), dueAt: iso(t.dueAt), firstReplyAt: iso(t.firstReplyAt), closedAt: iso(t.closedAt),
      closedReason: t.closedReason,
    })),
    alertDeliveries: deliveries.map((d) => ({
      date: d.alert.date, child: `${d.alert.student.firstName} ${d.alert.student.lastName}`, sentAt: iso(d.alert.createdAt),
      via: d.via, skippedReason: d.skippedReason, messageStatus: d.messageId ? deliveryMessages.get(d.messageId) ?? null : null,
      repliedAt: iso(d.repliedAt), outcome: d.outcome,
    })),
  };
}

export type GuardianExport = NonNullable<Awaited<ReturnType<typeof exportGuardianData>>>;

/** Accountability: that an export was made and by whom (a token's name, or the CLI), never the number. */
export function auditExport(db: Db, schoolId: string, by: string) {
  return db.auditEvent.create({ data: { schoolId, staffId: null, action: 'export', detail: JSON.stringify({ by }) } });
}
