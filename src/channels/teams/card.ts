import { formatDay, localNow } from '../../absence/dates.js';
import type { Db } from '../../db/client.js';
import { CANNED_REPLIES, type Actor, type CannedReply, type HandoffDesk } from '../../handoff/desk.js';
import type { NoticeReason } from '../../handoff/notices.js';
import { isLanguage, LANGUAGE_INFO } from '../../language/languages.js';

/** The card's buttons send `{ action, ticketId }` (plus the inputs) back as activity.value. */
export type CardAction = 'claim' | 'reply' | 'send' | 'close';

const TITLES: Record<NoticeReason, string> = {
  assigned: 'Nieuwe vraag',
  urgent: 'DRINGEND',
  reminder: 'Herinnering',
  escalated: 'Te laat',
  parent_wrote: 'Ouder schreef opnieuw',
  reassigned: 'Vraag aan u overgedragen',
};

/** Dutch labels of the canned replies (the parent gets the text in their language, locales/canned). */
export const CANNED_LABELS_NL: Record<CannedReply, string> = {
  willCall: 'We bellen u morgen',
  comeToSchool: 'Wilt u langskomen op school?',
  callSchool: 'Wilt u de school bellen?',
  arranged: 'Het is geregeld',
  interpreter: 'We regelen een tolk',
  moreSoon: 'We laten meer weten zodra we meer weten',
};

const languageNames = new Intl.DisplayNames(['nl'], { type: 'language' });
export function languageNameNl(code: string): string {
  try {
    return languageNames.of(code) ?? code;
  } catch {
    return code;
  }
}

/** "nog 1 dag 3 uur", "nog 45 min", "2 uur 10 min te laat". */
export function timeLeft(due: Date, now: Date): string {
  const ms = due.getTime() - now.getTime();
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const parts = d ? [`${d} ${d === 1 ? 'dag' : 'dagen'}`, h ? `${h} uur` : ''] : h ? [`${h} uur`, m ? `${m} min` : ''] : [`${m} min`];
  const span = parts.filter(Boolean).join(' ');
  return ms >= 0 ? `nog ${span}` : `${span} te laat`;
}

function loadTicket(db: Db, ticketId: string) {
  return db.ticket.findUnique({
    where: { id: ticketId },
    include: {
      school: true, assignee: true, student: { include: { class: true } }, conversation: { include: { guardian: true } },
      messages: { where: { direction: 'inbound' }, orderBy: { createdAt: 'desc' }, take: 1 },
    },
  });
}

export interface CardOptions {
  /** Why the card is sent (a notice); null when an existing card is redrawn after a change. */
  reason: NoticeReason | null;
  inboxUrl: string;
  now: Date;
}

/**
 * The Adaptive Card (schema 1.5, as Teams renders it) a staff member gets for a ticket,
 * drawn from the ticket's current state. Arabic (any right-to-left language) question text
 * sits in a Container with `rtl: true`: in Adaptive Cards `rtl` exists on the card,
 * Container and Column, not on TextBlock. Buttons show only while the ticket is open and
 * the viewer may act on it.
 */
export async function ticketCard(db: Db, desk: HandoffDesk, ticketId: string, viewer: Actor, opts: CardOptions) {
  const t = await loadTicket(db, ticketId);
  if (!t) return null;
  const closed = t.status !== 'open';
  const closedBy = closed && t.closedById ? await db.staff.findUnique({ where: { id: t.closedById } }) : null;
  const parentLanguage = desk.parentLanguage(t);
  const inbound = t.messages[0];
  const questionLanguage = inbound?.language ?? t.language;
  const rtl = isLanguage(questionLanguage) && LANGUAGE_INFO[questionLanguage].rtl;
  const urgent = t.kind === 'urgent' || opts.reason === 'urgent' || opts.reason === 'escalated';
  const title = opts.reason ? TITLES[opts.reason] : t.kind === 'urgent' ? 'DRINGEND' : 'Vraag van een ouder';
  const assignee = t.assignee?.name ?? 'niemand';
  const state = closed
    ? `Gesloten door ${closedBy?.name ?? 'een collega'}`
    : t.firstReplyAt ? `Beantwoord · behandeld door ${assignee}`
    : t.heldAt ? `Opgepakt door ${assignee}`
    : `Nog niet opgepakt · toegewezen aan ${assignee}`;

  const facts = [
    { title: 'Kind', value: t.student ? `${t.student.firstName} ${t.student.lastName}${t.student.class ? ` (${t.student.class.name})` : ''}` : 'onbekend' },
    { title: 'Taal ouder', value: languageNameNl(parentLanguage) },
  ];
  if (t.dueAt && !closed) {
    const local = localNow(t.dueAt, t.school.timezone);
    facts.push({ title: 'Antwoord uiterlijk', value: `${formatDay(local.date, 'nl')} ${local.time} (${timeLeft(t.dueAt, opts.now)})` });
  }

  const body: object[] = [
    { type: 'TextBlock', text: `${title} · ${t.school.name}`, weight: 'Bolder', size: 'Medium', color: urgent ? 'Attention' : 'Default', wrap: true },
    { type: 'TextBlock', text: state, color: closed ? 'Good' : 'Default', isSubtle: !closed, spacing: 'None', wrap: true },
    {
      type: 'Container', style: 'emphasis', ...(rtl ? { rtl: true } : {}),
      items: [{ type: 'TextBlock', text: inbound?.body || '(geen tekst)', wrap: true }],
    },
    { type: 'FactSet', facts },
  ];
  const actions: object[] = [];
  const submit = (title: string, action: CardAction, extra: object = {}) => ({ type: 'Action.Submit', title, data: { action, ticketId: t.id }, ...extra });
  if (!closed && desk.canSee(viewer, t)) {
    body.push(
      {
        type: 'Input.ChoiceSet', id: 'canned', style: 'compact', label: 'Standaardantwoord (gaat in de taal van de ouder)',
        placeholder: 'Kies een standaardantwoord', choices: CANNED_REPLIES.map((c) => ({ title: CANNED_LABELS_NL[c], value: c })),
      },
      { type: 'Input.Text', id: 'text', isMultiline: true, maxLength: 1400, label: 'Of schrijf zelf (u ziet eerst de vertaling)', placeholder: 'Uw antwoord in het Nederlands' },
    );
    actions.push(submit('Antwoorden', 'reply'));
    if (!(t.heldAt && t.assigneeId === viewer.id)) actions.push(submit('Oppakken', 'claim', { associatedInputs: 'none' }));
    actions.push(submit('Afsluiten', 'close', { associatedInputs: 'none' }));
  }
  actions.push({ type: 'Action.OpenUrl', title: 'Openen in de inbox', url: opts.inboxUrl });
  return {
    type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.5',
    fallbackText: `${title}: ${inbound?.body ?? ''} — ${opts.inboxUrl}`,
    body, actions,
  };
}

/** A card to check a translated free-text reply before it goes out (the inbox shows the same preview). */
export function confirmCard(input: { ticketId: string; text: string; body: string; translation: string | null; language: string; untranslated: boolean }) {
  const rtl = isLanguage(input.language) && LANGUAGE_INFO[input.language].rtl;
  return {
    type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.5',
    body: [
      { type: 'TextBlock', text: `Controleer uw antwoord: dit krijgt de ouder (${languageNameNl(input.language)})`, weight: 'Bolder', wrap: true },
      ...(input.untranslated
        ? [{ type: 'TextBlock', text: 'Let op: er is geen vertaling beschikbaar. De ouder krijgt uw tekst in het Nederlands.', color: 'Warning', wrap: true }]
        : []),
      { type: 'Container', style: 'emphasis', ...(rtl ? { rtl: true } : {}), items: [{ type: 'TextBlock', text: input.body, wrap: true }] },
    ],
    actions: [{ type: 'Action.Submit', title: 'Versturen', data: { action: 'send', ticketId: input.ticketId, text: input.text, translation: input.translation } }],
  };
}
