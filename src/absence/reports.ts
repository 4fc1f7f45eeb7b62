import { z } from 'zod';
import type { Classification } from '../classification/classifier.js';
import { normalizeText } from '../classification/normalize.js';
import type { Conversation, Guardian, Prisma, School } from '../generated/prisma/client.js';
import type { TicketKind } from '../handoff/tickets.js';
import type { SchoolDetails } from '../knowledge/render.js';
import type { Language } from '../language/languages.js';
import type { Reply, ReplyComposer } from '../conversation/replies.js';
import { daysBetween, formatDay, isSchoolDay, localNow, type IsoDate } from './dates.js';
import type { Lexicons } from './lexicon.js';
import { parseAbsence, type ParsedAbsence } from './parse.js';
import { summarise, type AbsenceSummary } from './summary.js';
import type { Absence } from '../generated/prisma/client.js';

/** A report further ahead than this is a leave request (verlof), not an absence report. */
export const MAX_DAYS_AHEAD = 28;
/** A parent may correct the last report, or answer our question, within this window. */
export const FOLLOW_UP_MS = 3 * 60 * 60_000;
/** After school ends a report without a day is about the next school day. */
const DEFAULT_SCHOOL_END = '15:00';

/** What we are waiting for from this number, stored on the conversation. */
const Pending = z.discriminatedUnion('awaiting', [
  z.object({ awaiting: z.literal('child'), at: z.string(), absenceId: z.string(), options: z.array(z.string()) }),
  z.object({ awaiting: z.literal('day'), at: z.string(), childIds: z.array(z.string()), text: z.string() }),
  z.object({ awaiting: z.literal('identity'), at: z.string(), absenceId: z.string() }),
]);
type Pending = z.infer<typeof Pending>;

export interface AbsenceInput {
  school: School;
  details: SchoolDetails;
  guardian: Guardian | null;
  conversation: Conversation;
  inboundId: string;
  text: string;
  language: Language;
  classification: Classification;
  receivedAt: Date;
}

export interface AbsenceOutcome {
  reply: Reply;
  /** A ticket a person must look at (unverified report, leave request). */
  ticketKind: TicketKind | null;
  studentId: string | null;
  /** The new value of conversation.pendingAbsence. */
  pending: string | null;
}

interface Child { id: string; firstName: string; nicknames: string[] }

/**
 * Turns a parent's free-text report into absence records and the confirmation they get:
 * asks "which child?" when it cannot tell, records unknown numbers as unverified, and lets
 * the parent correct the last report. Runs inside the inbound message's transaction.
 */
export class AbsenceDesk {
  constructor(
    private readonly lexicons: Lexicons,
    private readonly composer: ReplyComposer,
  ) {}

  /** Null when the message is not about an absence (nor an answer to our absence question). */
  async handle(tx: Prisma.TransactionClient, input: AbsenceInput): Promise<AbsenceOutcome | null> {
    const route = input.classification.route;
    if (route === 'optout' || route === 'optin' || route === 'language') return null;
    const children = input.guardian ? await this.childrenOf(tx, input.guardian.id) : [];
    const now = localNow(input.receivedAt, input.school.timezone);
    const parse = (text: string) => parseAbsence(text, {
      lexicon: this.lexicons[input.language], today: now.date, time: now.time,
      schoolEnds: input.school.endTime ?? DEFAULT_SCHOOL_END, children,
    });

    const pending = this.pendingOf(input.conversation, input.receivedAt);
    if (pending) {
      const answered = await this.answerPending(tx, input, pending, children, parse);
      if (answered) return answered;
    }
    if (input.guardian && route !== 'urgent') {
      const corrected = await this.correct(tx, input, children, parse);
      if (corrected) return corrected;
    }
    if (route !== 'absence') return null;
    const parsed = parse(input.text);
    if (!input.guardian) return this.fromUnknownNumber(tx, input, parsed);
    return this.report(tx, input, parsed, children);
  }

  private async report(tx: Prisma.TransactionClient, input: AbsenceInput, parsed: ParsedAbsence, children: Child[]): Promise<AbsenceOutcome> {
    const today = localNow(input.receivedAt, input.school.timezone).date;
    const chosen = parsed.allChildren ? children.map((c) => c.id)
      : parsed.childIds.length ? parsed.childIds
      : children.length === 1 ? [children[0]!.id] : [];

    if (parsed.nonSchoolDays.length && !isSchoolDay(parsed.start)) {
      const pending: Pending = { awaiting: 'day', at: input.receivedAt.toISOString(), childIds: chosen, text: input.text };
      return this.say(input, 'absence.notSchoolDay', { day: formatDay(parsed.nonSchoolDays[0]!, input.language) }, 'absence_question', JSON.stringify(pending));
    }
    if (daysBetween(today, parsed.start) > MAX_DAYS_AHEAD) {
      return { ...this.say(input, 'absence.tooFarAhead', {}, 'ack_forward', null), ticketKind: 'forward', studentId: chosen[0] ?? null };
    }
    if (chosen.length === 0 && children.length > 1) {
      // Recorded at once without a child, so the school sees it even if no answer comes.
      const absence = await this.create(tx, input, parsed, null, today);
      const options = children.map((c) => c.id);
      const lines = children.map((c, i) => `${i + 1}. ${c.firstName}`);
      lines.push(`${children.length + 1}. ${this.composer.text('absence.allChildren', input.language, input.school, input.details, { count: children.length })}`);
      const pending: Pending = { awaiting: 'child', at: input.receivedAt.toISOString(), absenceId: absence.id, options };
      return this.say(input, 'absence.whichChild', { options: lines.join('\n') }, 'absence_question', JSON.stringify(pending));
    }
    // A guardian with no child on record: recorded without a child, and a person checks.
    const ids = chosen.length ? chosen : [null];
    for (const id of ids) await this.create(tx, input, parsed, id, today);
    const outcome = this.confirm(input, parsed, ids, children, this.isLate(input, parsed, today), 'absence.confirm', 'absence_confirm');
    return { ...outcome, ticketKind: chosen.length ? null : 'absence', studentId: chosen[0] ?? null };
  }

  private create(tx: Prisma.TransactionClient, input: AbsenceInput, parsed: ParsedAbsence, studentId: string | null, today: IsoDate, extra: Partial<Prisma.AbsenceUncheckedCreateInput> = {}) {
    return tx.absence.create({
      data: {
        schoolId: input.school.id, studentId, guardianId: input.guardian?.id ?? null, conversationId: input.conversation.id,
        messageId: input.inboundId, startDate: parsed.start, endDate: parsed.end, dayPart: parsed.dayPart, time: parsed.time,
        reason: parsed.reason, parentWords: input.text, late: this.isLate(input, parsed, today), ...extra,
      },
    });
  }

  private isLate(input: AbsenceInput, parsed: ParsedAbsence, today: IsoDate): boolean {
    const cutoff = input.details.absenceCutoff;
    if (!cutoff || parsed.start !== today) return false;
    return localNow(input.receivedAt, input.school.timezone).time > cutoff;
  }

  private confirm(input: AbsenceInput, s: Omit<AbsenceSummary, 'names'>, ids: (string | null)[], children: Child[], late: boolean, key: 'absence.confirm' | 'absence.corrected', kind: Reply['kind']): AbsenceOutcome {
    const names = ids.map((id) => children.find((c) => c.id === id)?.firstName).filter((n): n is string => Boolean(n));
    const summary = summarise(this.composer, input, { ...s, names });
    return this.say(input, key, { summary, late: late ? 'yes' : 'no' }, kind, null);
  }

  private say(input: AbsenceInput, key: Parameters<ReplyComposer['text']>[0], values: Record<string, string | number>, kind: Reply['kind'], pending: string | null): AbsenceOutcome {
    const body = this.composer.text(key, input.language, input.school, input.details, values);
    return { reply: { body, language: input.language, kind, essential: false, pendingMore: [] }, ticketKind: null, studentId: null, pending };
  }

  /** An unknown number: record as unverified, ask for the child's name and class, never confirm a child. */
  private async fromUnknownNumber(tx: Prisma.TransactionClient, input: AbsenceInput, parsed: ParsedAbsence): Promise<AbsenceOutcome> {
    const today = localNow(input.receivedAt, input.school.timezone).date;
    const absence = await this.create(tx, input, parsed, null, today, { verified: false, source: 'unknown_number' });
    const pending: Pending = { awaiting: 'identity', at: input.receivedAt.toISOString(), absenceId: absence.id };
    return { ...this.say(input, 'absence.unknownNumber', {}, 'absence_unknown', JSON.stringify(pending)), ticketKind: 'absence' };
  }

  private async answerPending(tx: Prisma.TransactionClient, input: AbsenceInput, pending: Pending, children: Child[], parse: (t: string) => ParsedAbsence): Promise<AbsenceOutcome | null> {
    const today = localNow(input.receivedAt, input.school.timezone).date;
    if (pending.awaiting === 'identity') {
      // Whatever they send next is the child's name and class, as they wrote it.
      if (input.classification.route === 'urgent') return null;
      await tx.absence.updateMany({ where: { id: pending.absenceId }, data: { reportedName: input.text.slice(0, 200), messageId: input.inboundId } });
      return { ...this.say(input, 'absence.unknownRecorded', {}, 'absence_unknown', null), ticketKind: 'absence' };
    }
    if (pending.awaiting === 'child') {
      const picked = pickChildren(input.text, pending.options, children, parse(input.text));
      if (!picked) return null;
      const absence = await tx.absence.findUnique({ where: { id: pending.absenceId } });
      if (!absence) return null;
      await tx.absence.update({ where: { id: absence.id }, data: { studentId: picked[0]! } });
      for (const id of picked.slice(1)) {
        const { id: _omit, createdAt: _c, updatedAt: _u, ...rest } = absence;
        await tx.absence.create({ data: { ...rest, studentId: id } });
      }
      return this.confirm(input, fromRow(absence), picked, children, absence.late, 'absence.confirm', 'absence_confirm');
    }
    // awaiting a school day
    const parsed = parse(input.text);
    if (!parsed.dayGiven || !isSchoolDay(parsed.start)) return null;
    const merged = { ...parse(pending.text), start: parsed.start, end: parsed.end, dayPart: parsed.dayPart, time: parsed.time, nonSchoolDays: [] };
    return this.report(tx, { ...input, text: `${pending.text}\n${input.text}` }, { ...merged, childIds: pending.childIds.length ? pending.childIds : merged.childIds }, children);
  }

  /** "No, not Tuesday, Wednesday": changes the records of the last report. */
  private async correct(tx: Prisma.TransactionClient, input: AbsenceInput, children: Child[], parse: (t: string) => ParsedAbsence): Promise<AbsenceOutcome | null> {
    const parsed = parse(input.text);
    if (!parsed.correction || !(parsed.dayGiven || parsed.childIds.length || parsed.reason !== 'other' || parsed.dayPart !== 'whole')) return null;
    const last = await tx.absence.findFirst({
      where: { conversationId: input.conversation.id, source: { not: 'unknown_number' }, createdAt: { gte: new Date(input.receivedAt.getTime() - FOLLOW_UP_MS) } },
      orderBy: { createdAt: 'desc' },
    });
    if (!last) return null;
    const group = await tx.absence.findMany({ where: { conversationId: input.conversation.id, createdAt: last.createdAt } });
    const rows = group.length ? group : [last];
    const data = {
      ...(parsed.dayGiven ? { startDate: parsed.start, endDate: parsed.end } : {}),
      ...(parsed.dayPart !== 'whole' ? { dayPart: parsed.dayPart, time: parsed.time } : {}),
      ...(parsed.reason !== 'other' ? { reason: parsed.reason } : {}),
      parentWords: `${last.parentWords}\n${input.text}`, messageId: input.inboundId, correctedAt: input.receivedAt, status: 'reported',
    };
    // A different child named: the report was for the wrong child (one record only).
    const newChild = parsed.childIds.find((id) => !rows.some((r) => r.studentId === id));
    for (const row of rows) {
      await tx.absence.update({ where: { id: row.id }, data: { ...data, ...(newChild && rows.length === 1 ? { studentId: newChild } : {}) } });
    }
    const updated = await tx.absence.findMany({ where: { id: { in: rows.map((r) => r.id) } } });
    return this.confirm(input, fromRow(updated[0]!), updated.map((u) => u.studentId), children, updated[0]!.late, 'absence.corrected', 'absence_corrected');
  }

  private pendingOf(conversation: Conversation, now: Date): Pending | null {
    if (!conversation.pendingAbsence) return null;
    try {
      const parsed = Pending.safeParse(JSON.parse(conversation.pendingAbsence));
      if (!parsed.success) return null;
      return now.getTime() - Date.parse(parsed.data.at) <= FOLLOW_UP_MS ? parsed.data : null;
    } catch {
      return null;
    }
  }

  private async childrenOf(tx: Prisma.TransactionClient, guardianId: string): Promise<Child[]> {
    const links = await tx.guardianStudent.findMany({
      where: { guardianId, hasCustody: true },
      include: { student: { select: { id: true, firstName: true, nicknames: true } } },
      orderBy: { student: { firstName: 'asc' } },
    });
    return links.map((l) => ({ id: l.student.id, firstName: l.student.firstName, nicknames: l.student.nicknames.split(',').map((n) => n.trim()).filter(Boolean) }));
  }
}

function fromRow(a: Absence): Omit<AbsenceSummary, 'names'> {
  return { start: a.startDate, end: a.endDate, dayPart: a.dayPart, time: a.time, reason: a.reason };
}

/** "2", "1 en 2", "Lina", "allebei" as an answer to the numbered question. */
function pickChildren(text: string, options: string[], children: Child[], parsed: ParsedAbsence): string[] | null {
  if (parsed.allChildren) return options;
  const numbers = [...normalizeText(text).matchAll(/\b(\d{1,2})\b/g)].map((m) => Number(m[1]));
  if (numbers.length && numbers.every((n) => n >= 1 && n <= options.length + 1)) {
    if (numbers.includes(options.length + 1)) return options;
    return [...new Set(numbers.map((n) => options[n - 1]!))];
  }
  const named = parsed.childIds.filter((id) => options.includes(id) && children.some((c) => c.id === id));
  return named.length ? named : null;
}

