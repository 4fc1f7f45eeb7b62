import { html } from '../html.js';
import type { AbsenceOverview } from '../absences.js';
import type { StaffContext } from '../session.js';
import { formatDay } from '../../absence/dates.js';
import { dateTime, REASON_NL, SKIPPED_NL } from './format.js';
import { csrfField, page } from './layout.js';

const SOURCE_NL: Record<string, string> = { parent: 'door ouder', alert_reply: 'antwoord op afwezigheidsmelding', unknown_number: 'onbekend nummer' };
const PART_NL: Record<string, string> = { whole: 'hele dag', morning: 'ochtend', afternoon: 'middag', until: 'tot', from: 'vanaf' };

export function absencesPage(ctx: StaffContext, data: AbsenceOverview, today: string, notice: string | null): string {
  const tz = ctx.school.timezone;
  const absences = data.absences.map((a) => {
    const who = a.student ? `${a.student.firstName} ${a.student.lastName}` : `${a.reportedName ?? 'onbekend kind'} (niet geverifieerd)`;
    const klass = a.student?.class?.name ?? a.reportedClass;
    const days = a.startDate === a.endDate ? formatDay(a.startDate, 'nl') : `${formatDay(a.startDate, 'nl')} t/m ${formatDay(a.endDate, 'nl')}`;
    return html`<li class="card">
  <h2>${who}${klass ? html` <span class="meta">(${klass})</span>` : ''}</h2>
  <p class="meta">${days} · ${PART_NL[a.dayPart] ?? a.dayPart}${a.time ? ` ${a.time}` : ''} · ${REASON_NL[a.reason] ?? a.reason} · ${SOURCE_NL[a.source] ?? a.source}
    ${a.guardianId ? ` · ${data.guardians.get(a.guardianId) ?? ''}` : ''} · ${dateTime(a.createdAt, tz)}${a.late ? html` · <span class="badge late">te laat gemeld</span>` : ''}</p>
  <p class="text" dir="auto">${a.parentWords}</p>
  ${a.status === 'acknowledged'
    ? html`<p class="meta">Gezien door ${a.acknowledgedBy ?? 'onbekend'}${a.acknowledgedAt ? ` (${dateTime(a.acknowledgedAt, tz)})` : ''}</p>`
    : html`<form method="post" action="/staff/absences/${a.id}/acknowledge">${csrfField(ctx)}<input type="hidden" name="date" value="${data.date}"><button type="submit" class="secondary" aria-label="Afmelding van ${who} gezien">Gezien</button></form>`}
</li>`;
  });
  const alerts = data.unanswered.map((al) => {
    const reached = al.deliveries.some((d) => d.messageId);
    return html`<li class="card">
  <h3>${al.student.firstName} ${al.student.lastName}${al.student.class ? html` <span class="meta">(${al.student.class.name})</span>` : ''}</h3>
  <p class="meta">Gemeld ${dateTime(al.createdAt, tz)} door ${al.requestedBy}${reached ? '' : html` · <strong>niemand bereikt: bel de ouders</strong>`}</p>
  <ul>${al.deliveries.map((d) => html`<li>${d.guardianId ? data.guardians.get(d.guardianId) ?? 'ouder' : 'leerling zelf'}: ${d.skippedReason ? SKIPPED_NL[d.skippedReason] ?? d.skippedReason : `verstuurd (${d.via ?? ''})`}</li>`)}</ul>
</li>`;
  });
  const isToday = data.date === today;
  return page({
    title: isToday ? 'Afwezigheid vandaag' : `Afwezigheid ${formatDay(data.date, 'nl')}`,
    ctx,
    nav: 'absences',
    notice,
    body: html`<form method="get" action="/staff/absences" class="actions"><div><label for="date">Datum</label><input id="date" name="date" type="date" value="${data.date}" max="${today}"></div><button type="submit" class="secondary">Tonen</button></form>
<h2>Afmeldingen (${data.absences.length})</h2>
${absences.length ? html`<ul class="cards">${absences}</ul>` : html`<p>Geen afmeldingen.</p>`}
<h2>Afwezigheidsmeldingen zonder antwoord (${data.unanswered.length})</h2>
${alerts.length ? html`<ul class="cards">${alerts}</ul>` : html`<p>Geen onbeantwoorde meldingen.</p>`}
<p><a href="/staff/alerts/status?date=${data.date}">Status van alle afwezigheidsmeldingen van deze dag</a></p>`,
  });
}
