import type { HandoffDesk } from '../../handoff/desk.js';
import { html } from '../html.js';
import type { StaffContext } from '../session.js';
import { dateTime, duration, firstLine, KIND_NL, languageName, timeLeft } from './format.js';
import { page } from './layout.js';

export type OpenTicket = Awaited<ReturnType<HandoffDesk['openTickets']>>[number];
export interface Sla { answered: number; unanswered: number; medianMs: number | null }

export function inboxPage(ctx: StaffContext, tickets: OpenTicket[], sla: Sla, now: Date, notice?: string | null): string {
  const tz = ctx.school.timezone;
  const median = sla.medianMs === null
    ? 'nog geen beantwoorde vragen'
    : `${duration(sla.medianMs)} (${sla.answered} beantwoord)`;
  const items = tickets.map((t) => {
    const left = timeLeft(t.dueAt, now);
    const latest = t.messages[0];
    const child = t.student ? `${t.student.firstName} ${t.student.lastName}` : null;
    return html`<li class="card${t.kind === 'urgent' ? ' urgent' : ''}">
  <h2><a href="/staff/tickets/${t.id}">${child ?? 'Onbekend kind'}${t.student?.class ? html` <span class="meta">(${t.student.class.name})</span>` : ''}</a></h2>
  <p class="meta">
    <span class="badge${t.kind === 'urgent' ? ' urgent' : ''}">${KIND_NL[t.kind] ?? t.kind}</span>
    <span class="badge${left.late ? ' late' : ''}" title="${t.dueAt ? `Antwoord beloofd vóór ${dateTime(t.dueAt, tz)}` : ''}">${left.text}</span>
    · ouder leest ${languageName(t.language)}
    · ${t.assignee ? html`bij ${t.assignee.name}` : 'niet toegewezen'}${t.heldAt ? ' · opgepakt' : ''}
  </p>
  ${latest ? html`<p class="text" dir="auto" lang="${latest.language ?? t.language}">${firstLine(latest.body)}</p>` : ''}
</li>`;
  });
  return page({
    title: 'Inbox',
    ctx,
    nav: 'inbox',
    notice,
    body: html`<p class="meta">Mediane tijd tot het eerste antwoord (laatste 30 dagen): <strong>${median}</strong>${sla.unanswered ? ` · ${sla.unanswered} nog zonder antwoord` : ''}</p>
${tickets.length
  ? html`<p>${tickets.length} open ${tickets.length === 1 ? 'vraag' : 'vragen'}, dringend eerst.</p><ul class="cards">${items}</ul>`
  : html`<p class="notice">Geen open vragen. Goed bezig!</p>`}`,
  });
}
