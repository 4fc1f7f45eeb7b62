import type { HandoffDesk } from '../../handoff/desk.js';
import { html, type Html } from '../html.js';
import type { StaffContext } from '../session.js';
import { dateTime, firstLine, KIND_NL, languageName, ROLE_NL, STATUS_NL, timeLeft } from './format.js';
import { page } from './layout.js';
import { actionsBlock, replyBlock, type ReplyState } from './reply.js';

export type TicketView = Awaited<ReturnType<HandoffDesk['view']>>;
export interface Colleague { id: string; name: string; role: string; active: boolean }

export interface TicketPageInput {
  view: TicketView;
  colleagues: Colleague[];
  reply: ReplyState;
  now: Date;
  notice?: string | null | undefined;
  error?: string | null | undefined;
}

const KIND_OF_MESSAGE: Record<string, string> = {
  staff_reply: 'antwoord', ticket_closed: 'afgesloten-bericht', ack_forward: 'ontvangstbevestiging', ack_urgent: 'dringend: bevestiging',
  ack_absence: 'afmelding bevestigd', absence_confirm: 'afmelding bevestigd', answer: 'automatisch antwoord', absence_alert: 'afwezigheidsmelding',
};

function thread(ctx: StaffContext, view: TicketView, names: Map<string, string>): Html {
  const tz = ctx.school.timezone;
  const { ticket, language } = view;
  const guardian = ticket.conversation.guardian?.name ?? ticket.conversation.address;
  const items = ticket.messages.map((m) => {
    const inbound = m.direction === 'inbound';
    const who = inbound ? `${guardian} (ouder)` : m.staffId ? `${names.get(m.staffId) ?? 'Medewerker'} (school)` : 'Ouderlijn (automatisch)';
    const lang = m.language ?? (inbound ? language : 'nl');
    return html`<li class="msg ${inbound ? 'inbound' : 'outbound'}">
  <p class="meta"><strong>${who}</strong> · ${dateTime(m.createdAt, tz)} · ${m.channel === 'whatsapp' ? 'WhatsApp' : 'sms'}
    ${m.kind && KIND_OF_MESSAGE[m.kind] ? html` · ${KIND_OF_MESSAGE[m.kind]}` : ''}
    · <span class="status">${STATUS_NL[m.status] ?? m.status}</span>${m.statusReason ? ` (${m.statusReason})` : ''}</p>
  ${m.purgedAt ? html`<p class="meta">(tekst verwijderd: bewaartermijn verstreken of gegevens gewist)</p>` : html`<p class="text" dir="auto" lang="${lang}">${m.body}</p>`}
  ${m.sourceBody ? html`<p class="meta">Oorspronkelijke tekst (Nederlands):</p><p class="text" lang="nl">${m.sourceBody}</p>` : ''}
</li>`;
  });
  return html`<h2 id="gesprek">Gesprek</h2>${items.length ? html`<ol class="thread" aria-labelledby="gesprek">${items}</ol>` : html`<p>Nog geen berichten.</p>`}`;
}

function facts(ctx: StaffContext, view: TicketView, now: Date): Html {
  const { ticket, language } = view;
  const left = timeLeft(ticket.dueAt, now);
  const child = ticket.student ? `${ticket.student.firstName} ${ticket.student.lastName}` : 'onbekend (de ouder noemde geen kind)';
  return html`<dl class="facts">
  <dt>Soort</dt><dd><span class="badge${ticket.kind === 'urgent' ? ' urgent' : ''}">${KIND_NL[ticket.kind] ?? ticket.kind}</span>${ticket.status === 'closed' ? ' · afgesloten' : ''}</dd>
  <dt>Kind</dt><dd>${child}${ticket.student?.class ? ` (${ticket.student.class.name})` : ''}</dd>
  <dt>Ouder</dt><dd>${ticket.conversation.guardian?.name ?? 'onbekend nummer'} · ${ticket.conversation.address} · ${ticket.conversation.channel === 'whatsapp' ? 'WhatsApp' : 'sms'}</dd>
  <dt>Taal</dt><dd>Deze ouder leest <strong>${languageName(language)}</strong>${language !== 'nl' ? '; antwoorden gaan in die taal naar de ouder.' : '.'}</dd>
  <dt>Bij</dt><dd>${ticket.assignee ? `${ticket.assignee.name} (${ROLE_NL[ticket.assignee.role] ?? ticket.assignee.role})` : 'niemand'}${ticket.heldAt ? ' · opgepakt' : ''}</dd>
  ${ticket.status === 'open' ? html`<dt>Termijn</dt><dd><span class="badge${left.late ? ' late' : ''}">${left.text}</span>${ticket.dueAt ? ` (vóór ${dateTime(ticket.dueAt, ctx.school.timezone)})` : ''}</dd>` : ''}
</dl>`;
}

function earlierTickets(ctx: StaffContext, view: TicketView): Html {
  if (!view.earlier.length) return html``;
  return html`<h2>Eerdere vragen van deze ouder</h2><ul>${view.earlier.map((t) => html`<li>
  <a href="/staff/tickets/${t.id}">${dateTime(t.createdAt, ctx.school.timezone)}</a> · ${KIND_NL[t.kind] ?? t.kind} · ${t.status === 'open' ? 'open' : 'afgesloten'}${t.assignee ? ` · ${t.assignee.name}` : ''}
  ${t.messages[0] ? html`<br><span dir="auto" lang="${t.messages[0].language ?? t.language}">${firstLine(t.messages[0].body)}</span>` : ''}
</li>`)}</ul>`;
}

export function ticketPage(ctx: StaffContext, input: TicketPageInput): string {
  const { view } = input;
  const names = new Map(input.colleagues.map((c) => [c.id, c.name]));
  const child = view.ticket.student ? view.ticket.student.firstName : 'onbekend kind';
  return page({
    title: `${KIND_NL[view.ticket.kind] ?? 'Vraag'} over ${child}`,
    ctx,
    nav: 'inbox',
    notice: input.notice,
    error: input.error,
    body: html`<p><a href="/staff">← Terug naar de inbox</a></p>
${facts(ctx, view, input.now)}
${thread(ctx, view, names)}
${view.ticket.status === 'open'
  ? html`${replyBlock(ctx, view, input.reply)}${actionsBlock(ctx, view, input.colleagues)}`
  : html`<p class="notice">Deze vraag is afgesloten; de ouder krijgt weer automatische antwoorden.</p>`}
${earlierTickets(ctx, view)}`,
  });
}
