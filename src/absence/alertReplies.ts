import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import type { TrainingExample } from '../classification/intentModel.js';
import { NgramModel } from '../classification/ngramModel.js';
import type { ReplyComposer } from '../conversation/replies.js';
import type { Prisma } from '../generated/prisma/client.js';
import { KnowledgeBaseError, problemsFromZod } from '../knowledge/errors.js';
import type { KnowledgeBase } from '../knowledge/load.js';
import { SUPPORTED_LANGUAGES, type Language } from '../language/languages.js';
import { addDays, localNow } from './dates.js';
import type { Lexicons } from './lexicon.js';
import { parseAbsence } from './parse.js';
import type { AbsenceInput, AbsenceOutcome } from './reports.js';
import { summarise } from './summary.js';

const ReplyExamplesSchema = z.strictObject({
  present: z.strictObject(Object.fromEntries(SUPPORTED_LANGUAGES.map((l) => [l, z.array(z.string().min(1)).min(1)])) as Record<Language, z.ZodArray<z.ZodString>>),
});

/** Replies to an alert count for this long after the alert's day. */
const REPLY_WINDOW_DAYS = 2;
/** "I dropped him off" must be likelier than this to raise an urgent case. */
const PRESENT_THRESHOLD = 0.5;

export type AlertReplyKind = 'present' | 'absent' | 'other';

/**
 * Understands a guardian's reply to an absence alert: "he is sick" becomes an absence
 * report for the alerted child; "I brought him to school myself" / "she left at 8" an
 * urgent case for attendance staff and the director; anything else is forwarded.
 */
export class AlertReplies {
  private constructor(private readonly model: NgramModel, private readonly lexicons: Lexicons) {}

  static create(kb: KnowledgeBase, lexicons: Lexicons, file = path.resolve('intents', 'absence', 'alert-replies.yaml')): AlertReplies {
    const rel = path.relative(process.cwd(), file) || file;
    let parsed;
    try {
      parsed = ReplyExamplesSchema.safeParse(YAML.parse(readFileSync(file, 'utf8')));
    } catch (e) {
      throw new KnowledgeBaseError([{ file: rel, path: '', reason: (e as Error).message }]);
    }
    if (!parsed.success) throw new KnowledgeBaseError(problemsFromZod(rel, parsed.error));
    const examples: TrainingExample[] = [];
    for (const language of SUPPORTED_LANGUAGES) {
      for (const text of parsed.data.present[language]) examples.push({ language, text, label: 'present' });
      for (const text of kb.routes.get('absence')?.examples[language] ?? []) examples.push({ language, text, label: 'absent' });
      for (const text of kb.routes.get('forward')?.examples[language] ?? []) examples.push({ language, text, label: 'other' });
    }
    return new AlertReplies(NgramModel.train(examples), lexicons);
  }

  kind(language: Language, text: string, route: string): AlertReplyKind {
    const top = this.model.classify(language, text)[0];
    if (top?.label === 'present' && top.score >= PRESENT_THRESHOLD) return 'present';
    if (route === 'absence' || top?.label === 'absent') return 'absent';
    return 'other';
  }

  /** Null when this conversation has no unanswered alert (or the message is STOP/START). */
  async handle(tx: Prisma.TransactionClient, input: AbsenceInput, composer: ReplyComposer): Promise<AbsenceOutcome | null> {
    const route = input.classification.route;
    if (route === 'optout' || route === 'optin' || route === 'language') return null;
    const today = localNow(input.receivedAt, input.school.timezone).date;
    const delivery = await tx.alertDelivery.findFirst({
      where: {
        conversationId: input.conversation.id, repliedAt: null, messageId: { not: null },
        alert: { date: { gte: addDays(today, -REPLY_WINDOW_DAYS) } },
      },
      include: { alert: { include: { student: true } } },
      orderBy: { alert: { date: 'desc' } },
    });
    if (!delivery) return null;
    const { alert } = delivery;
    const kind = route === 'urgent' ? 'present' : this.kind(input.language, input.text, route);
    const outcome = kind === 'present' ? 'urgent' : kind === 'absent' ? 'absence' : 'forward';
    await tx.alertDelivery.update({ where: { id: delivery.id }, data: { repliedAt: input.receivedAt, replyMessageId: input.inboundId, outcome } });
    const say = (key: Parameters<ReplyComposer['text']>[0], values: Record<string, string> = {}) =>
      composer.text(key, input.language, input.school, input.details, values);

    if (kind === 'present') {
      return {
        reply: { body: say('alert.replyUrgent'), language: input.language, kind: 'alert_reply_urgent', essential: false, pendingMore: [] },
        ticketKind: 'urgent', studentId: alert.studentId, pending: null,
      };
    }
    if (kind === 'absent') {
      const student = alert.student;
      const parsed = parseAbsence(input.text, {
        lexicon: this.lexicons[input.language], today: alert.date, time: '00:00', schoolEnds: '23:59',
        children: [{ id: student.id, firstName: student.firstName, nicknames: [] }],
      });
      // The alert names the day; "sick all week" may stretch it.
      const end = parsed.dayGiven && parsed.end > alert.date ? parsed.end : alert.date;
      const existing = await tx.absence.findFirst({ where: { studentId: student.id, startDate: { lte: alert.date }, endDate: { gte: alert.date } } });
      if (!existing) {
        await tx.absence.create({
          data: {
            schoolId: input.school.id, studentId: student.id, guardianId: input.guardian?.id ?? null, conversationId: input.conversation.id,
            messageId: input.inboundId, alertId: alert.id, startDate: alert.date, endDate: end, dayPart: parsed.dayPart, time: parsed.time,
            reason: parsed.reason, parentWords: input.text, source: 'alert_reply',
          },
        });
      }
      const summary = summarise(composer, input, { names: [student.firstName], start: alert.date, end, dayPart: parsed.dayPart, time: parsed.time, reason: parsed.reason });
      return {
        reply: { body: say('absence.confirm', { summary, late: 'no' }), language: input.language, kind: 'absence_confirm', essential: false, pendingMore: [] },
        ticketKind: null, studentId: student.id, pending: null,
      };
    }
    return {
      reply: { body: say('ack.forward'), language: input.language, kind: 'ack_forward', essential: false, pendingMore: [] },
      ticketKind: 'forward', studentId: alert.studentId, pending: null,
    };
  }
}
