import { z } from 'zod';
import type { InboundMessageEvent } from '../channels/types.js';
import { THRESHOLDS, type Classification, type Classifier } from '../classification/classifier.js';
import { KeywordMatcher } from '../classification/keywords.js';
import { isUniqueViolation, type Db } from '../db/client.js';
import { findGuardianByNumber } from '../directory/guardians.js';
import { resolveSchool, schoolDetails } from '../directory/schools.js';
import { heldTicket, openOrJoinTicket, type TicketKind } from '../handoff/tickets.js';
import { childOfMessage } from '../handoff/assign.js';
import { queueNotices } from '../handoff/notices.js';
import type { KnowledgeBase } from '../knowledge/load.js';
import { segmentCount } from '../knowledge/smsFit.js';
import { fallbackChain, isLanguage, type Language } from '../language/languages.js';
import { maskPhone, type Logger } from '../logger.js';
import { AbsenceDesk } from '../absence/reports.js';
import type { Lexicons } from '../absence/lexicon.js';
import type { AlertReplies } from '../absence/alertReplies.js';
import { ReplyComposer, type Reply } from './replies.js';

export type InboundOutcome =
  | {
      kind: 'handled'; replayed: boolean; replies: { id: string; body: string }[]; classification: Classification | null;
      /** The language the parent is answered in (absent on a replay). */
      language?: Language;
    }
  | { kind: 'unknown_number' };

const PendingMore = z.object({ language: z.string(), parts: z.array(z.string()) });

/** Routes with their own handling even while a person holds the conversation. */
const QUIET_EXCEPT: ReadonlySet<Classification['route']> = new Set(['optout', 'optin', 'urgent', 'absence']);

const TICKET_FOR: Partial<Record<Classification['route'], TicketKind>> = {
  forward: 'forward',
  urgent: 'urgent',
  absence: 'absence',
};

/**
 * The one path every inbound parent message takes, whatever the channel: idempotent on
 * (channel, provider id), routed per INTENTS.md, stored with its reply in one transaction.
 */
export class InboundHandler {
  private readonly composer: ReplyComposer;
  private readonly moreKeywords: KeywordMatcher;
  private readonly absence: AbsenceDesk;
  private readonly alertReplies: AlertReplies;

  constructor(
    private readonly db: Db,
    private readonly classifier: Classifier,
    kb: KnowledgeBase,
    absence: { lexicons: Lexicons; alertReplies: AlertReplies },
    private readonly log: Logger,
  ) {
    this.composer = new ReplyComposer(kb);
    this.absence = new AbsenceDesk(absence.lexicons, this.composer);
    this.alertReplies = absence.alertReplies;
    this.moreKeywords = new KeywordMatcher(kb.keywords.more, kb.keywords.polite);
  }

  async handle(event: InboundMessageEvent): Promise<InboundOutcome> {
    const replay = await this.replay(event);
    if (replay) return replay;

    const school = await resolveSchool(this.db, event.channel, event.to);
    if (!school) {
      this.log.warn({ channel: event.channel, to: maskPhone(event.to) }, 'inbound message to a number no school uses; not stored');
      return { kind: 'unknown_number' };
    }
    const details = await schoolDetails(this.db, school);
    const guardian = await findGuardianByNumber(this.db, school.id, event.from);
    const conversation = await this.db.conversation.upsert({
      where: { schoolId_channel_address: { schoolId: school.id, channel: event.channel, address: event.from } },
      create: { schoolId: school.id, channel: event.channel, address: event.from, guardianId: guardian?.id ?? null },
      update: guardian ? { guardianId: guardian.id } : {},
    });
    const known = fallbackChain(guardian?.language, conversation.language, school.defaultLanguage)[0]!;

    // MORE continues the previous answer before anything is classified.
    const pending = parsePending(conversation.pendingMore);
    let classification: Classification | null = null;
    let reply: Reply | null;
    let language = known;
    let learnLanguage: Language | null = null;
    let optedOutAt = conversation.optedOutAt;
    if (this.moreKeywords.match(event.body).length > 0) {
      language = pending && isLanguage(pending.language) ? pending.language : known;
      reply = this.composer.more(pending?.parts ?? [], language, school, details);
    } else {
      classification = await this.classifier.classify(event.body, known);
      const clear = classification.languageConfidence >= THRESHOLDS.clearLanguage || classification.basis === 'keyword';
      if (clear) language = classification.language;
      if (classification.route === 'language' && classification.requestedLanguage) language = classification.requestedLanguage;
      if (language !== known && (clear || classification.route === 'language')) learnLanguage = language;

      if (classification.route === 'optout') {
        // Confirm once: a second STOP from an opted-out number gets no reply.
        reply = optedOutAt ? null : this.composer.compose(classification, language, school, details, event.channel);
        optedOutAt ??= event.receivedAt;
      } else if (classification.route === 'optin') {
        reply = optedOutAt
          ? this.composer.compose(classification, language, school, details, event.channel)
          : this.composer.optinAlready(language, school, details);
        optedOutAt = null;
      } else {
        reply = this.composer.compose(classification, language, school, details, event.channel);
      }
    }
    // An opted-out number gets nothing but the opt-in/opt-out confirmations. What it sends
    // is still stored and routed, so an urgent message still reaches a person.
    if (optedOutAt && reply && !reply.essential) reply = null;

    // While a person holds the conversation the bot stays quiet: the message joins their
    // ticket. STOP/START, urgent messages and absence reports keep their own handling.
    const held = await heldTicket(this.db, conversation.id);
    const quiet = held !== null && classification !== null && !QUIET_EXCEPT.has(classification.route);
    if (quiet) reply = null;

    try {
      return await this.db.$transaction(async (tx) => {
        const inbound = await tx.message.create({
          data: {
            schoolId: school.id, conversationId: conversation.id, direction: 'inbound', channel: event.channel,
            providerId: event.providerId, fromAddress: event.from, toAddress: event.to, body: event.body,
            language: classification?.language ?? language, route: classification?.route ?? null,
            intent: classification?.intent ?? null, confidence: classification?.confidence ?? null,
            kind: classification ? null : 'more', status: 'received', createdAt: event.receivedAt,
          },
        });
        // Absence reports, answers to our absence questions and replies to absence alerts
        // are understood here; everything else keeps the route's reply and ticket.
        let ticketKind = classification ? TICKET_FOR[classification.route] : undefined;
        let studentId: string | null = null;
        let pendingAbsence = conversation.pendingAbsence;
        let answeredByAbsenceDesk = false;
        if (classification && !quiet) {
          const input = { school, details, guardian, conversation, inboundId: inbound.id, text: event.body, language, classification, receivedAt: event.receivedAt };
          const outcome = (await this.alertReplies.handle(tx, input, this.composer)) ?? (await this.absence.handle(tx, input));
          if (outcome) {
            answeredByAbsenceDesk = true;
            reply = optedOutAt && !outcome.reply.essential ? null : outcome.reply;
            ticketKind = outcome.ticketKind ?? undefined;
            studentId = outcome.studentId;
            pendingAbsence = outcome.pending;
          } else if (classification.route !== 'optout' && classification.route !== 'optin') {
            pendingAbsence = null;
          }
        }
        let ticketId: string | null = null;
        if (quiet && held) {
          ticketId = held.id;
          if (held.assigneeId) await queueNotices(tx, { ticketId, staffIds: [held.assigneeId], reason: 'parent_wrote' });
        } else if (ticketKind) {
          studentId ??= ticketKind === 'absence' ? null : await childOfMessage(tx, guardian?.id ?? null, event.body);
          const ticket = await openOrJoinTicket(tx, {
            schoolId: school.id, conversationId: conversation.id, kind: ticketKind, language, studentId,
            topic: classification?.topic ?? null, at: event.receivedAt,
          });
          ticketId = ticket.id;
          // Tell the parent who will answer and by when.
          if (reply?.kind === 'ack_forward' && !answeredByAbsenceDesk && ticket.assigneeId && ticket.dueAt) {
            const staff = await tx.staff.findUnique({ where: { id: ticket.assigneeId } });
            if (staff) reply = this.composer.forwardAck(language, school, details, { staff, dueAt: ticket.dueAt, joined: !ticket.created });
          }
        }
        if (ticketId) await tx.message.update({ where: { id: inbound.id }, data: { ticketId } });
        const replies: { id: string; body: string }[] = [];
        if (reply) {
          // Handed to Twilio in the webhook response (TwiML), so it is 'sent' at once.
          const out = await tx.message.create({
            data: {
              schoolId: school.id, conversationId: conversation.id, direction: 'outbound', channel: event.channel,
              fromAddress: event.to, toAddress: event.from, body: reply.body, language: reply.language,
              kind: reply.kind, essential: reply.essential, status: 'sent', sentAt: new Date(),
              segments: segmentCount(reply.body), replyToId: inbound.id, ticketId,
            },
          });
          replies.push({ id: out.id, body: out.body });
        }
        await tx.conversation.update({
          where: { id: conversation.id },
          data: {
            lastInboundAt: event.receivedAt,
            language,
            optedOutAt,
            pendingAbsence,
            // A new answer replaces the old continuation; other replies keep it for MORE.
            pendingMore: reply?.kind === 'answer' || reply?.kind === 'more'
              ? (reply.pendingMore.length ? JSON.stringify({ language: reply.language, parts: reply.pendingMore }) : null)
              : conversation.pendingMore,
          },
        });
        if (guardian && learnLanguage) {
          await tx.guardian.update({
            where: { id: guardian.id },
            data: { language: learnLanguage, languageSource: classification?.route === 'language' ? 'chosen' : 'learned' },
          });
        }
        this.log.info(
          { school: school.slug, channel: event.channel, from: maskPhone(event.from), route: classification?.route ?? 'more', intent: classification?.intent, language, replied: replies.length > 0 },
          'inbound message handled',
        );
        return { kind: 'handled' as const, replayed: false, replies, classification, language };
      });
    } catch (err) {
      // A concurrent retry of the same MessageSid won the race: answer with its stored reply.
      if (isUniqueViolation(err)) {
        const again = await this.replay(event);
        if (again) return again;
      }
      throw err;
    }
  }

  /** A retried webhook (same MessageSid): the stored reply, processed once. */
  private async replay(event: InboundMessageEvent): Promise<InboundOutcome | null> {
    const existing = await this.db.message.findUnique({
      where: { channel_providerId: { channel: event.channel, providerId: event.providerId } },
      include: { replies: { where: { direction: 'outbound' }, orderBy: { createdAt: 'asc' } } },
    });
    if (!existing) return null;
    this.log.info({ channel: event.channel, messageSid: event.providerId }, 'retried webhook: replaying the stored reply');
    return { kind: 'handled', replayed: true, replies: existing.replies.map((r) => ({ id: r.id, body: r.body })), classification: null };
  }
}

function parsePending(raw: string | null) {
  if (!raw) return null;
  try {
    const parsed = PendingMore.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
