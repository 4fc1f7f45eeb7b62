import type { AbsenceAlert, AlertDelivery, SchoolClass, Student } from '../../generated/prisma/client.js';
import { formatDay } from '../../absence/dates.js';
import type { Language } from '../../language/languages.js';
import { html } from '../html.js';
import type { StaffContext } from '../session.js';
import { dateTime, languageName, SKIPPED_NL, STATUS_NL, VIA_NL } from './format.js';
import { csrfField, page } from './layout.js';

export interface PreviewRecipient {
  student: string;
  className: string | null;
  to: string;
  language: Language;
  body: string;
  segments: number;
  skipped: string | null;
}

export function alertFormPage(ctx: StaffContext, d: {
  date: string; today: string; groups: { name: string; students: Student[] }[]; picked: Set<string>;
  alerted: Set<string>; reported: Set<string>; error: string | null;
}): string {
  const groups = d.groups.map((g, i) => html`<fieldset>
  <legend>${g.name}</legend>
  ${g.students.map((s) => {
    const note = d.alerted.has(s.id) ? ' (al gemeld)' : d.reported.has(s.id) ? ' (al afgemeld)' : '';
    return html`<div class="choice"><input type="checkbox" name="student" id="st-${s.id}" value="${s.id}"${d.picked.has(s.id) ? html` checked` : ''}${note ? html` disabled` : ''}>
    <label for="st-${s.id}">${s.firstName} ${s.lastName}<span class="meta">${note}</span></label></div>`;
  })}
  ${g.students.length ? '' : html`<p class="meta" id="empty-${i}">Geen leerlingen.</p>`}
</fieldset>`);
  return page({
    title: 'Afwezigheidsmelding sturen',
    ctx,
    nav: 'alerts',
    error: d.error,
    body: html`<p>Kies de leerlingen die zonder afmelding afwezig zijn. Ouders die toestemming gaven krijgen een neutraal bericht in hun eigen taal en kunnen erop antwoorden. U ziet eerst een voorbeeld.</p>
<form method="post" action="/staff/alerts/preview">
  ${csrfField(ctx)}
  <label for="alert-date">Datum</label>
  <input id="alert-date" name="date" type="date" value="${d.date}" max="${d.today}" required>
  ${groups}
  <button type="submit">Voorbeeld bekijken</button>
</form>
<p><a href="/staff/alerts/status?date=${d.date}">Status van de meldingen van ${formatDay(d.date, 'nl')}</a></p>`,
  });
}

export function alertPreviewPage(ctx: StaffContext, d: { date: string; students: string[]; recipients: PreviewRecipient[] }): string {
  const languages = [...new Set(d.recipients.filter((r) => !r.skipped).map((r) => r.language))];
  const items = d.recipients.map((r) => html`<li class="card">
  <h3>${r.student}${r.className ? html` <span class="meta">(${r.className})</span>` : ''} → ${r.to}</h3>
  ${r.skipped
    ? html`<p class="meta">Krijgt geen bericht: ${SKIPPED_NL[r.skipped] ?? r.skipped}</p>`
    : html`<p class="meta">${languageName(r.language)} · ${r.segments === 1 ? '1 sms-deel' : `${r.segments} sms-delen`}</p>
  <p class="sms" dir="auto" lang="${r.language}">${r.body}</p>`}
</li>`);
  return page({
    title: 'Voorbeeld van de melding',
    ctx,
    nav: 'alerts',
    body: html`<p>${d.students.length} ${d.students.length === 1 ? 'leerling' : 'leerlingen'}, ${formatDay(d.date, 'nl')}. Talen: ${languages.map(languageName).join(', ') || 'geen'}.
Of het bericht per WhatsApp of sms gaat, en of een ouder STOP stuurde, blijkt bij het versturen.</p>
<ul class="cards">${items}</ul>
<form method="post" action="/staff/alerts/send">
  ${csrfField(ctx)}
  <input type="hidden" name="date" value="${d.date}">
  ${d.students.map((s) => html`<input type="hidden" name="student" value="${s}">`)}
  <div class="actions"><button type="submit" id="send-alerts">Versturen</button> <a href="/staff/alerts?date=${d.date}">Terug</a></div>
</form>`,
  });
}

type AlertRow = AbsenceAlert & { student: Student & { class: SchoolClass | null }; deliveries: AlertDelivery[] };

export function alertStatusPage(ctx: StaffContext, d: {
  date: string; list: AlertRow[]; sent: number | null;
  messages: Map<string, { status: string; statusReason: string | null }>; guardians: Map<string, string>;
}): string {
  const tz = ctx.school.timezone;
  const items = d.list.map((a) => {
    const reached = a.deliveries.some((x) => x.messageId);
    return html`<li class="card">
  <h2>${a.student.firstName} ${a.student.lastName}${a.student.class ? html` <span class="meta">(${a.student.class.name})</span>` : ''}</h2>
  <p class="meta">Gemeld ${dateTime(a.createdAt, tz)} door ${a.requestedBy}${a.deliveries.some((x) => x.repliedAt) ? ' · beantwoord' : ''}${reached ? '' : html` · <strong>niemand bereikt: bel de ouders</strong>`}</p>
  <ul>${a.deliveries.map((x) => {
    const who = x.recipient === 'student' ? 'leerling zelf' : (x.guardianId && d.guardians.get(x.guardianId)) || 'ouder';
    const msg = x.messageId ? d.messages.get(x.messageId) : undefined;
    return html`<li class="delivery">${who}: ${x.skippedReason
      ? html`niet verstuurd (${SKIPPED_NL[x.skippedReason] ?? x.skippedReason})`
      : html`${VIA_NL[x.via ?? ''] ?? x.via} · <span class="status">${msg ? STATUS_NL[msg.status] ?? msg.status : 'onbekend'}</span>${msg?.statusReason ? ` (${msg.statusReason})` : ''}`}${x.repliedAt ? ` · antwoordde ${dateTime(x.repliedAt, tz)}` : ''}</li>`;
  })}</ul>
</li>`;
  });
  return page({
    title: `Status meldingen ${formatDay(d.date, 'nl')}`,
    ctx,
    nav: 'alerts',
    notice: d.sent === null ? null : `Verstuurd voor ${d.sent} ${d.sent === 1 ? 'leerling' : 'leerlingen'}. Laad deze pagina opnieuw voor de nieuwste status.`,
    body: html`<p><a href="/staff/alerts/status?date=${d.date}">Vernieuwen</a> · <a href="/staff/alerts?date=${d.date}">Nieuwe melding</a></p>
${items.length ? html`<ul class="cards">${items}</ul>` : html`<p>Geen meldingen op deze dag.</p>`}`,
  });
}
