import { WHATSAPP_SESSION_MS } from '../absence/alerts.js';
import type { Channel } from '../channels/types.js';
import type { ReplyComposer } from '../conversation/replies.js';
import type { Db } from '../db/client.js';
import { schoolDetails } from '../directory/schools.js';
import type { Prisma } from '../generated/prisma/client.js';
import { segmentCount } from '../knowledge/smsFit.js';
import { fallbackChain, type Language } from '../language/languages.js';
import { enqueue } from '../outbox/outbox.js';
import { audit } from '../staff/audit.js';
import { queueNotices } from './notices.js';
import type { Translator } from './translate.js';

/** Canned replies staff can send; each exists in all eight languages (locales/canned.*). */
export const CANNED_REPLIES = ['willCall', 'comeToSchool', 'callSchool', 'arranged', 'interpreter', 'moreSoon'] as const;
export type CannedReply = (typeof CANNED_REPLIES)[number];

/** Roles that see every ticket of their school and may reassign. */
const OVERSEERS: ReadonlySet<string> = new Set(['parent_contact', 'director']);

export interface Actor {
  id: string;
  schoolId: string;
  name: string;
  role: string;
}
export type Via = 'inbox' | 'teams';
export type ReplyInput = { canned: CannedReply } | { text: string; translation?: string | undefined };

export interface ReplyPreview {
  /** The parent's language. */
  language: Language;
  /** Exactly what the parent will receive. */
  body: string;
  /** What the staff member wrote or chose, in Dutch, when the body is in another language. */
  source: string | null;
  /** The translated text alone (free text with a translator), to send back unchanged. */
  translation: string | null;
  /** Free text going out untranslated to a parent who reads another language. */
  untranslated: boolean;
  channel: Channel;
  segments: number;
}

export type TicketChange = 'claimed' | 'reassigned' | 'replied' | 'closed';

/** A refused staff action. The message is Dutch: staff read it as is, in the inbox and in Teams. */
export class HandoffError extends Error {
  constructor(readonly status: 400 | 403 | 404 | 409, message: string) {
    super(message);
    this.name = 'HandoffError';
  }
}

const TICKET_VIEW = {
  conversation: { include: { guardian: true } },
  student: { include: { class: true } },
  assignee: true,
  messages: { orderBy: { createdAt: 'asc' as const } },
} satisfies Prisma.TicketInclude;

/**
 * What staff do with tickets, wherever they work (inbox or Teams): claim, reassign, reply,
 * close. Every action checks the school and who may see the ticket, and is audit-logged.
 */
export class HandoffDesk {
  private readonly listeners: ((ticketId: string, change: TicketChange) => void)[] = [];

  constructor(
    private readonly db: Db,
    private readonly composer: ReplyComposer,
    readonly translator: Translator | null = null,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Called after a ticket changed (Teams cards update themselves from here). */
  onChange(listener: (ticketId: string, change: TicketChange) => void) {
    this.listeners.push(listener);
  }

  /** Assignees see their own tickets; the parent-contact worker and the director see all; attendance sees urgent ones. */
  canSee(actor: Actor, ticket: { schoolId: string; assigneeId: string | null; kind: string }): boolean {
    if (actor.schoolId !== ticket.schoolId) return false;
    return ticket.assigneeId === actor.id || OVERSEERS.has(actor.role) || (actor.role === 'attendance' && (ticket.kind === 'urgent' || ticket.kind === 'absence'));
  }

  /** Open tickets the person may see: urgent first, then by deadline. */
  async openTickets(actor: Actor) {
    const tickets = await this.db.ticket.findMany({
      where: { schoolId: actor.schoolId, status: 'open' },
      include: { student: { include: { class: true } }, assignee: true, conversation: true, messages: { where: { direction: 'inbound' }, orderBy: { createdAt: 'desc' }, take: 1 } },
    });
    return tickets
      .filter((t) => this.canSee(actor, t))
      .sort((a, b) => Number(b.kind === 'urgent') - Number(a.kind === 'urgent') || (a.dueAt?.getTime() ?? Infinity) - (b.dueAt?.getTime() ?? Infinity));
  }

  /** One ticket with the conversation, the child and class and earlier tickets; the view is audit-logged. */
  async view(actor: Actor, ticketId: string, via: Via = 'inbox') {
    const ticket = await this.visible(actor, ticketId);
    const earlier = await this.db.ticket.findMany({
      where: { conversationId: ticket.conversationId, id: { not: ticket.id } },
      orderBy: { createdAt: 'desc' },
      take: 10,
      include: { assignee: true, messages: { where: { direction: 'inbound' }, orderBy: { createdAt: 'asc' }, take: 1 } },
    });
    await audit(this.db, { schoolId: actor.schoolId, staffId: actor.id, action: 'view_ticket', ticketId, detail: via });
    return { ticket, earlier, language: this.parentLanguage(ticket) };
  }

  async claim(actor: Actor, ticketId: string, via: Via = 'inbox') {
    const ticket = await this.visibleOpen(actor, ticketId);
    await this.db.$transaction(async (tx) => {
      await tx.ticket.update({ where: { id: ticket.id }, data: { assigneeId: actor.id, heldAt: ticket.heldAt ?? this.now(), ...(ticket.assigneeId !== actor.id ? { assignedBecause: 'reassigned' } : {}) } });
      await audit(tx, { schoolId: actor.schoolId, staffId: actor.id, action: 'claim', ticketId, detail: via });
    });
    this.emit(ticketId, 'claimed');
  }

  async reassign(actor: Actor, ticketId: string, toStaffId: string, via: Via = 'inbox') {
    const ticket = await this.visibleOpen(actor, ticketId);
    if (!OVERSEERS.has(actor.role) && ticket.assigneeId !== actor.id) {
      throw new HandoffError(403, 'Alleen wie de vraag heeft, de contactpersoon ouders of de directeur kan deze vraag doorsturen.');
    }
    const to = await this.db.staff.findFirst({ where: { id: toStaffId, schoolId: actor.schoolId, active: true } });
    if (!to) throw new HandoffError(400, 'Kies een collega van deze school om naar door te sturen.');
    await this.db.$transaction(async (tx) => {
      await tx.ticket.update({ where: { id: ticket.id }, data: { assigneeId: to.id, assignedBecause: 'reassigned', heldAt: null, remindedAt: null } });
      await queueNotices(tx, { ticketId, staffIds: [to.id], reason: ticket.kind === 'urgent' ? 'urgent' : 'reassigned' });
      await audit(tx, { schoolId: actor.schoolId, staffId: actor.id, action: 'reassign', ticketId, detail: `${via}: to ${to.name}` });
    });
    this.emit(ticketId, 'reassigned');
  }

  /** What the parent would receive; with a translator, free text is translated here. */
  async preview(actor: Actor, ticketId: string, input: ReplyInput): Promise<ReplyPreview> {
    const ticket = await this.visibleOpen(actor, ticketId);
    return this.compose(actor, ticket, input, true);
  }

  /** Sends a reply to the parent, in their language, by the conversation's channel. */
  async reply(actor: Actor, ticketId: string, input: ReplyInput, via: Via = 'inbox') {
    const ticket = await this.visibleOpen(actor, ticketId);
    const preview = await this.compose(actor, ticket, input, false);
    const target = await this.deliveryTarget(ticket);
    const now = this.now();
    const message = await this.db.$transaction(async (tx) => {
      const queued = await enqueue(tx, {
        schoolId: ticket.schoolId, conversationId: target.conversationId, channel: target.channel, from: target.from,
        to: ticket.conversation.address, body: preview.body, language: preview.language, kind: 'staff_reply', ticketId,
      });
      await tx.message.update({ where: { id: queued.id }, data: { staffId: actor.id, staffVia: via, sourceBody: preview.source } });
      await tx.ticket.update({
        where: { id: ticket.id },
        data: { firstReplyAt: ticket.firstReplyAt ?? now, heldAt: ticket.heldAt ?? now, assigneeId: ticket.assigneeId ?? actor.id },
      });
      await audit(tx, { schoolId: actor.schoolId, staffId: actor.id, action: 'reply', ticketId, detail: `${via}: message ${queued.id}` });
      return queued;
    });
    this.emit(ticketId, 'replied');
    return { messageId: message.id, ...preview, channel: target.channel };
  }

  /** Closes the ticket; the parent is told, and the bot answers them again. */
  async close(actor: Actor, ticketId: string, via: Via = 'inbox') {
    const ticket = await this.visibleOpen(actor, ticketId);
    const details = await schoolDetails(this.db, await this.db.school.findUniqueOrThrow({ where: { id: ticket.schoolId } }));
    const school = await this.db.school.findUniqueOrThrow({ where: { id: ticket.schoolId } });
    const language = this.parentLanguage(ticket);
    const target = await this.deliveryTarget(ticket).catch(() => null);
    await this.db.$transaction(async (tx) => {
      await tx.ticket.update({ where: { id: ticket.id }, data: { status: 'closed', closedAt: this.now(), closedById: actor.id } });
      if (target) {
        await enqueue(tx, {
          schoolId: ticket.schoolId, conversationId: target.conversationId, channel: target.channel, from: target.from,
          to: ticket.conversation.address, language, kind: 'ticket_closed', ticketId,
          body: this.composer.text('ticket.closed', language, school, details, { staffName: actor.name }),
        });
      }
      await audit(tx, { schoolId: actor.schoolId, staffId: actor.id, action: 'close', ticketId, detail: via });
    });
    this.emit(ticketId, 'closed');
  }

  /** The language the parent reads: the ticket's, learned from their messages, then the chain. */
  parentLanguage(ticket: { language: string; conversation: { language: string | null; guardian: { language: string } | null } }): Language {
    return fallbackChain(ticket.language, ticket.conversation.guardian?.language, ticket.conversation.language)[0]!;
  }

  private async compose(actor: Actor, ticket: Awaited<ReturnType<HandoffDesk['visible']>>, input: ReplyInput, translateNow: boolean): Promise<ReplyPreview> {
    const school = await this.db.school.findUniqueOrThrow({ where: { id: ticket.schoolId } });
    const details = await schoolDetails(this.db, school);
    const language = this.parentLanguage(ticket);
    const wrap = (text: string, lang: Language) => this.composer.text('staff.reply', lang, school, details, { staffName: actor.name, text });
    let body: string;
    let source: string | null = null;
    let translation: string | null = null;
    let untranslated = false;
    if ('canned' in input) {
      if (!(CANNED_REPLIES as readonly string[]).includes(input.canned)) throw new HandoffError(400, `Dit standaardantwoord bestaat niet: "${input.canned}".`);
      const key = `canned.${input.canned}` as const;
      body = wrap(this.composer.text(key, language, school, details, { staffName: actor.name }), language);
      if (language !== 'nl') source = this.composer.text(key, 'nl', school, details, { staffName: actor.name });
    } else {
      const text = input.text.trim();
      if (!text) throw new HandoffError(400, 'Schrijf een antwoord of kies een standaardantwoord.');
      if (text.length > 1400) throw new HandoffError(400, 'Houd het antwoord korter dan 1400 tekens (ongeveer 9 sms-delen).');
      translation = input.translation?.trim() || null;
      if (!translation && translateNow && this.translator && language !== 'nl') {
        translation = await this.translator.translate(text, language);
      }
      if (translation) {
        body = wrap(translation, language);
        source = text;
      } else {
        body = wrap(text, language);
        untranslated = language !== 'nl';
      }
    }
    const channel = ticket.conversation.channel === 'whatsapp' ? 'whatsapp' : 'sms';
    return { language, body, source, translation, untranslated, channel, segments: segmentCount(body) };
  }

  /**
   * Where a staff reply goes: the parent's own conversation. WhatsApp only allows free text
   * within 24 hours of the parent's last message; after that it goes by SMS to the same number.
   */
  private async deliveryTarget(ticket: Awaited<ReturnType<HandoffDesk['visible']>>): Promise<{ conversationId: string; channel: Channel; from: string }> {
    const conv = ticket.conversation;
    let channel: Channel = conv.channel === 'whatsapp' ? 'whatsapp' : 'sms';
    let conversationId = conv.id;
    let optedOut = conv.optedOutAt !== null;
    if (channel === 'whatsapp' && (!conv.lastInboundAt || this.now().getTime() - conv.lastInboundAt.getTime() > WHATSAPP_SESSION_MS)) {
      channel = 'sms';
      const sms = await this.db.conversation.upsert({
        where: { schoolId_channel_address: { schoolId: ticket.schoolId, channel: 'sms', address: conv.address } },
        create: { schoolId: ticket.schoolId, channel: 'sms', address: conv.address, guardianId: conv.guardianId, language: conv.language },
        update: {},
      });
      conversationId = sms.id;
      optedOut = sms.optedOutAt !== null;
    }
    if (optedOut) throw new HandoffError(409, 'Deze ouder heeft STOP gestuurd en krijgt geen berichten op dit nummer. Bel de ouder.');
    const number = await this.db.schoolNumber.findFirst({ where: { schoolId: ticket.schoolId, channel } });
    if (!number) throw new HandoffError(409, `De school heeft geen ${channel === 'sms' ? 'sms' : 'WhatsApp'}-nummer om vanaf te versturen.`);
    return { conversationId, channel, from: number.address };
  }

  private async visible(actor: Actor, ticketId: string) {
    const ticket = await this.db.ticket.findUnique({ where: { id: ticketId }, include: TICKET_VIEW });
    // Another school's ticket or one the person may not see: the same answer as a missing one.
    if (!ticket || !this.canSee(actor, ticket)) throw new HandoffError(404, 'Deze vraag bestaat niet, of u kunt hem niet inzien.');
    return ticket;
  }

  private async visibleOpen(actor: Actor, ticketId: string) {
    const ticket = await this.visible(actor, ticketId);
    if (ticket.status !== 'open') throw new HandoffError(409, 'Deze vraag is al afgesloten.');
    return ticket;
  }

  private emit(ticketId: string, change: TicketChange) {
    for (const listener of this.listeners) {
      try {
        listener(ticketId, change);
      } catch {
        // A listener (Teams card update) must never undo a staff action that succeeded.
      }
    }
  }
}
