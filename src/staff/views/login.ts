import { html } from '../html.js';
import { CSRF_FIELD } from '../session.js';
import { page } from './layout.js';

export function loginPage(opts: { csrf: string; next?: string; email?: string; school?: string; askSchool?: boolean; error?: string | null; notice?: string | null }): string {
  return page({
    title: 'Inloggen',
    error: opts.error,
    notice: opts.notice,
    body: html`<form method="post" action="/staff/login" class="card">
  <input type="hidden" name="${CSRF_FIELD}" value="${opts.csrf}">
  <input type="hidden" name="next" value="${opts.next ?? '/staff'}">
  <label for="email">E-mailadres</label>
  <input id="email" name="email" type="email" autocomplete="username" required value="${opts.email ?? ''}">
  <label for="password">Wachtwoord</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  ${opts.askSchool
    ? html`<label for="school">Schoolcode <span class="meta">(dit e-mailadres hoort bij meer dan één school)</span></label>
  <input id="school" name="school" type="text" required value="${opts.school ?? ''}" autocomplete="organization">`
    : html`<input type="hidden" name="school" value="${opts.school ?? ''}">`}
  <p><button type="submit">Inloggen</button></p>
</form>`,
  });
}
