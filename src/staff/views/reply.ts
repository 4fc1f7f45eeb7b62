import type { ReplyPreview } from '../../handoff/desk.js';
import { html, type Html } from '../html.js';
import type { StaffContext } from '../session.js';
import { languageName, ROLE_NL } from './format.js';
import { csrfField } from './layout.js';
import type { Colleague, TicketView } from './ticket.js';

export interface ReplyState {
  /** Canned replies with their Dutch text, as this person would send them. */
  canned: { key: string; text: string }[];
  translatorAvailable: boolean;
  choice?: string | undefined;
  text?: string | undefined;
  preview?: ReplyPreview | undefined;
}

function untranslatedWarning(language: string): Html {
  return html`<p class="warn">Let op: deze ouder leest ${languageName(language)}; uw tekst gaat onvertaald.</p>`;
}

function previewBlock(ctx: StaffContext, view: TicketView, state: ReplyState, p: ReplyPreview): Html {
  const parts = p.segments === 1 ? '1 sms-deel' : `${p.segments} sms-delen`;
  return html`<section class="card" aria-labelledby="preview-title" id="voorbeeld">
  <h2 id="preview-title">Voorbeeld: dit krijgt de ouder</h2>
  <p class="sms" dir="auto" lang="${p.language}">${p.body}</p>
  <p class="meta">${p.channel === 'sms' ? parts : `WhatsApp (als sms: ${parts})`} · in het ${languageName(p.language)}</p>
  ${p.source ? html`<p class="meta">${p.translation ? 'Uw tekst, automatisch vertaald. Controleer de vertaling als u de taal leest. Uw tekst:' : 'In het Nederlands:'}</p><p class="text" lang="nl">${p.source}</p>` : ''}
  ${p.untranslated ? untranslatedWarning(p.language) : ''}
  <form method="post" action="/staff/tickets/${view.ticket.id}/reply">
    ${csrfField(ctx)}
    <input type="hidden" name="choice" value="${state.choice ?? 'text'}">
    <input type="hidden" name="text" value="${state.text ?? ''}">
    <input type="hidden" name="translation" value="${p.translation ?? ''}">
    <button type="submit" id="send">Versturen</button>
  </form>
</section>`;
}

export function replyBlock(ctx: StaffContext, view: TicketView, state: ReplyState): Html {
  const { language } = view;
  const choice = state.choice ?? 'text';
  const radio = (value: string, label: Html | string) => html`<div class="choice">
    <input type="radio" name="choice" id="choice-${value}" value="${value}"${choice === value ? html` checked` : ''}>
    <label for="choice-${value}">${label}</label></div>`;
  return html`<h2 id="antwoorden">Antwoorden</h2>
${state.preview ? previewBlock(ctx, view, state, state.preview) : ''}
<form method="post" action="/staff/tickets/${view.ticket.id}/preview" aria-labelledby="antwoorden">
  ${csrfField(ctx)}
  <fieldset>
    <legend>Kies een standaardantwoord of schrijf zelf</legend>
    ${state.canned.map((c) => radio(c.key, html`<span lang="nl">${c.text}</span>`))}
    ${radio('text', 'Eigen tekst (hieronder)')}
    <label for="reply-text">Eigen tekst, in het Nederlands</label>
    ${language !== 'nl' && !state.translatorAvailable ? untranslatedWarning(language) : ''}
    ${language !== 'nl' && state.translatorAvailable ? html`<p class="meta">Uw tekst wordt vertaald naar het ${languageName(language)}; u ziet de vertaling eerst.</p>` : ''}
    <textarea id="reply-text" name="text" maxlength="1400" lang="nl">${state.text ?? ''}</textarea>
  </fieldset>
  <button type="submit" id="preview-reply">Voorbeeld bekijken</button>
</form>`;
}

export function actionsBlock(ctx: StaffContext, view: TicketView, colleagues: Colleague[]): Html {
  const { ticket } = view;
  const id = ticket.id;
  const mine = ticket.assigneeId === ctx.actor.id;
  const others = colleagues.filter((c) => c.active && c.id !== ticket.assigneeId);
  return html`<h2>Afhandelen</h2>
<div class="actions">
  ${mine && ticket.heldAt ? '' : html`<form method="post" action="/staff/tickets/${id}/claim">${csrfField(ctx)}<button type="submit" class="secondary">Oppakken</button></form>`}
  <form method="post" action="/staff/tickets/${id}/reassign">
    ${csrfField(ctx)}
    <label for="reassign-to">Doorsturen naar</label>
    <select id="reassign-to" name="to">${others.map((c) => html`<option value="${c.id}">${c.name} (${ROLE_NL[c.role] ?? c.role})</option>`)}</select>
    <button type="submit" class="secondary">Doorsturen</button>
  </form>
  <form method="post" action="/staff/tickets/${id}/close">${csrfField(ctx)}<button type="submit" class="secondary">Afsluiten</button></form>
</div>`;
}
