import type { Channel } from '../channels/types.js';
import type { ReplyComposer } from '../conversation/replies.js';
import type { Db } from '../db/client.js';
import type { Guardian, Prisma, School, Student } from '../generated/prisma/client.js';
import type { SchoolDetails } from '../knowledge/render.js';
import { fallbackChain, type Language } from '../language/languages.js';
import { enqueue } from '../outbox/outbox.js';
import { formatDay, type IsoDate } from './dates.js';

/** WhatsApp allows free text only within 24 hours of the guardian's last message. */
export const WHATSAPP_SESSION_MS = 24 * 60 * 60_000;
/** Students are alerted in chunks, each in one transaction: durable, and no giant locks. */
const CHUNK = 200;

export type AlertVia = 'whatsapp_session' | 'whatsapp_template' | 'sms';
export type SkippedReason = 'no_consent' | 'opted_out' | 'no_number' | 'adult_student' | 'no_channel';

export interface RecipientResult {
  recipient: 'guardian' | 'student';
  name: string;
  language: Language | null;
  via: AlertVia | null;
  skippedReason: SkippedReason | null;
  messageId: string | null;
}

export interface StudentAlertResult {
  studentId: string;
  externalId: string | null;
  name: string;
  status: 'alerted' | 'no_recipient' | 'already_alerted' | 'already_reported';
  recipients: RecipientResult[];
}

export interface AlertRun {
  date: IsoDate;
  students: StudentAlertResult[];
  /** Identifiers in the request that match no student of this school. */
  unknownStudents: string[];
}

type StudentWithGuardians = Student & { guardians: { hasCustody: boolean; guardian: Guardian }[] };

interface SchoolContext {
  school: School;
  details: SchoolDetails;
  numbers: Partial<Record<Channel, string>>;
  templates: Map<string, string>;
}

/** Whole years between a birth date and a school day. */
export function ageOn(birthDate: Date, date: IsoDate): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  let age = y - birthDate.getUTCFullYear();
  if (m < birthDate.getUTCMonth() + 1 || (m === birthDate.getUTCMonth() + 1 && d < birthDate.getUTCDate())) age--;
  return age;
}

/**
 * Sends a neutral "not at school" alert for each student to each guardian who consented,
 * in the guardian's language, on their channel: WhatsApp inside the 24-hour window as free
 * text, outside it as the school's approved template, otherwise SMS. An adult student is
 * the contact themselves, and their parents only with the student's consent. The same
 * student and date is never alerted twice (unique in the database). Messages go through
 * the outbox in the same transaction as the alert, so a crash sends nothing twice.
 */
export class AbsenceAlerts {
  constructor(private readonly db: Db, private readonly composer: ReplyComposer) {}

  async send(ctx: SchoolContext, input: { date: IsoDate; students: string[]; requestedBy: string; now?: Date }): Promise<AlertRun> {
    const now = input.now ?? new Date();
    const wanted = [...new Set(input.students)];
    const found: StudentWithGuardians[] = [];
    // 200 at a time: each id appears twice in the query, under SQLite's parameter limit.
    for (let i = 0; i < wanted.length; i += 200) {
      const ids = wanted.slice(i, i + 200);
      found.push(...(await this.db.student.findMany({
        where: { schoolId: ctx.school.id, OR: [{ externalId: { in: ids } }, { id: { in: ids } }] },
        include: { guardians: { include: { guardian: true } } },
      })));
    }
    const matched = new Set(found.flatMap((s) => [s.id, s.externalId]));
    const run: AlertRun = { date: input.date, students: [], unknownStudents: wanted.filter((w) => !matched.has(w)) };
    for (let i = 0; i < found.length; i += CHUNK) {
      // Let the event loop run between chunks. On SQLite every query resolves without I/O, so
      // a whole run used to hold the process: no webhook, /healthz or outbox send for ~6 s per
      // 1,000 students (test/faults.test.ts). Never inside the transaction: the SQLite adapter
      // has one connection, and another request's query would run inside this transaction.
      if (i > 0) await new Promise((resolve) => setImmediate(resolve));
      const chunk = found.slice(i, i + CHUNK);
      run.students.push(...(await this.db.$transaction((tx) => this.alertChunk(tx, ctx, chunk, input.date, input.requestedBy, now), { timeout: 60_000 })));
    }
    return run;
  }

  private async alertChunk(tx: Prisma.TransactionClient, ctx: SchoolContext, students: StudentWithGuardians[], date: IsoDate, requestedBy: string, now: Date) {
    const ids = students.map((s) => s.id);
    const alerted = new Set((await tx.absenceAlert.findMany({ where: { studentId: { in: ids }, date }, select: { studentId: true } })).map((a) => a.studentId));
    const reported = new Set((await tx.absence.findMany({
      where: { studentId: { in: ids }, startDate: { lte: date }, endDate: { gte: date } }, select: { studentId: true },
    })).map((a) => a.studentId));
    const results: StudentAlertResult[] = [];
    for (const student of students) {
      const base = { studentId: student.id, externalId: student.externalId, name: `${student.firstName} ${student.lastName}` };
      if (alerted.has(student.id)) { results.push({ ...base, status: 'already_alerted', recipients: [] }); continue; }
      if (reported.has(student.id)) { results.push({ ...base, status: 'already_reported', recipients: [] }); continue; }
      const alert = await tx.absenceAlert.create({ data: { schoolId: ctx.school.id, studentId: student.id, date, requestedBy } });
      const recipients: RecipientResult[] = [];
      const adult = student.birthDate ? ageOn(student.birthDate, date) >= 18 : false;
      if (adult) {
        recipients.push(await this.deliver(tx, ctx, alert.id, student, { kind: 'student', student }, date, now));
      }
      for (const link of student.guardians) {
        if (!link.hasCustody) continue;
        if (adult && !student.parentsMayBeInformed) {
          recipients.push(await this.skip(tx, alert.id, link.guardian, 'adult_student'));
          continue;
        }
        if (!link.guardian.alertConsent) {
          recipients.push(await this.skip(tx, alert.id, link.guardian, 'no_consent'));
          continue;
        }
        recipients.push(await this.deliver(tx, ctx, alert.id, student, { kind: 'guardian', guardian: link.guardian }, date, now));
      }
      results.push({ ...base, status: recipients.some((r) => r.messageId) ? 'alerted' : 'no_recipient', recipients });
    }
    return results;
  }

  private async skip(tx: Prisma.TransactionClient, alertId: string, guardian: Guardian, reason: SkippedReason): Promise<RecipientResult> {
    await tx.alertDelivery.create({ data: { alertId, recipient: 'guardian', guardianId: guardian.id, skippedReason: reason } });
    return { recipient: 'guardian', name: guardian.name, language: null, via: null, skippedReason: reason, messageId: null };
  }

  private async deliver(
    tx: Prisma.TransactionClient, ctx: SchoolContext, alertId: string, student: Student,
    to: { kind: 'guardian'; guardian: Guardian } | { kind: 'student'; student: Student }, date: IsoDate, now: Date,
  ): Promise<RecipientResult> {
    const person = to.kind === 'guardian'
      ? { name: to.guardian.name, phone: to.guardian.phone, whatsapp: to.guardian.whatsapp, language: to.guardian.language, guardianId: to.guardian.id }
      : { name: `${to.student.firstName} ${to.student.lastName}`, phone: to.student.phone, whatsapp: null, language: to.student.language, guardianId: null };
    const language = fallbackChain(person.language, ctx.school.defaultLanguage)[0]!;
    const skipped = async (reason: SkippedReason): Promise<RecipientResult> => {
      await tx.alertDelivery.create({ data: { alertId, recipient: to.kind, guardianId: person.guardianId, skippedReason: reason } });
      return { recipient: to.kind, name: person.name, language, via: null, skippedReason: reason, messageId: null };
    };
    if (!person.phone && !person.whatsapp) return skipped('no_number');

    const route = await this.chooseRoute(tx, ctx, person, language, now);
    if ('skipped' in route) return skipped(route.skipped);
    const day = formatDay(date, language);
    const body = this.composer.text(to.kind === 'guardian' ? 'alert.absent' : 'alert.absentSelf', language, ctx.school, ctx.details, { child: student.firstName, day });
    const message = await enqueue(tx, {
      schoolId: ctx.school.id, conversationId: route.conversationId, channel: route.channel, from: route.from, to: route.to,
      body, language, kind: 'absence_alert',
      ...(route.contentSid ? { template: { contentSid: route.contentSid, variables: { 1: student.firstName, 2: day, 3: ctx.school.name } } } : {}),
    });
    await tx.alertDelivery.create({
      data: { alertId, recipient: to.kind, guardianId: person.guardianId, conversationId: route.conversationId, messageId: message.id, via: route.via },
    });
    return { recipient: to.kind, name: person.name, language, via: route.via, skippedReason: null, messageId: message.id };
  }

  private async chooseRoute(
    tx: Prisma.TransactionClient, ctx: SchoolContext, person: { phone: string | null; whatsapp: string | null }, language: Language, now: Date,
  ): Promise<{ skipped: SkippedReason } | { channel: Channel; via: AlertVia; from: string; to: string; conversationId: string; contentSid: string | null }> {
    const conversation = (channel: Channel, address: string) => tx.conversation.upsert({
      where: { schoolId_channel_address: { schoolId: ctx.school.id, channel, address } },
      create: { schoolId: ctx.school.id, channel, address },
      update: {},
    });
    const whatsappFrom = ctx.numbers.whatsapp;
    if (person.whatsapp && whatsappFrom) {
      const c = await conversation('whatsapp', person.whatsapp);
      if (c.optedOutAt) return { skipped: 'opted_out' };
      const inSession = c.lastInboundAt && now.getTime() - c.lastInboundAt.getTime() < WHATSAPP_SESSION_MS;
      if (inSession) return { channel: 'whatsapp', via: 'whatsapp_session', from: whatsappFrom, to: person.whatsapp, conversationId: c.id, contentSid: null };
      const contentSid = ctx.templates.get(language);
      if (contentSid) return { channel: 'whatsapp', via: 'whatsapp_template', from: whatsappFrom, to: person.whatsapp, conversationId: c.id, contentSid };
    }
    const smsFrom = ctx.numbers.sms;
    const phone = person.phone;
    if (!smsFrom || !phone) return { skipped: 'no_channel' };
    const c = await conversation('sms', phone);
    if (c.optedOutAt) return { skipped: 'opted_out' };
    return { channel: 'sms', via: 'sms', from: smsFrom, to: phone, conversationId: c.id, contentSid: null };
  }
}

/** The school's sender numbers and approved alert templates. */
export async function loadSchoolContext(db: Db, school: School, details: SchoolDetails): Promise<SchoolContext> {
  const [numbers, templates] = await Promise.all([
    db.schoolNumber.findMany({ where: { schoolId: school.id } }),
    db.messageTemplate.findMany({ where: { schoolId: school.id, purpose: 'absence_alert' } }),
  ]);
  return {
    school, details,
    numbers: Object.fromEntries(numbers.map((n) => [n.channel, n.address])) as Partial<Record<Channel, string>>,
    templates: new Map(templates.map((t) => [t.language, t.contentSid])),
  };
}
