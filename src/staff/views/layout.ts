import { html, type Html, type HtmlValue } from '../html.js';
import { CSRF_FIELD, type StaffContext } from '../session.js';

export function csrfField(ctx: StaffContext | { csrf: string }): Html {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${ctx.csrf}">`;
}

export interface PageInput {
  title: string;
  ctx?: StaffContext | undefined;
  body: HtmlValue;
  notice?: string | null | undefined;
  error?: string | null | undefined;
  /** Which navigation item is the current page. */
  nav?: 'inbox' | 'absences' | 'alerts' | 'teams' | undefined;
}

export function page({ title, ctx, body, notice, error, nav }: PageInput): string {
  const item = (key: PageInput['nav'], href: string, label: string) =>
    html`<li><a href="${href}"${key === nav ? html` aria-current="page"` : ''}>${label}</a></li>`;
  const header = ctx
    ? html`<header class="top">
  <p class="brand"><a href="/staff">Ouderlijn</a> <span class="school">${ctx.school.name}</span></p>
  <nav aria-label="Hoofdmenu"><ul>
    ${item('inbox', '/staff', 'Inbox')}
    ${item('absences', '/staff/absences', 'Afwezigheid')}
    ${item('alerts', '/staff/alerts', 'Melding sturen')}
    ${item('teams', '/staff/teams', 'Teams')}
  </ul></nav>
  <form method="post" action="/staff/logout" class="logout">${csrfField(ctx)}<span>${ctx.actor.name}</span> <button type="submit" class="link">Uitloggen</button></form>
</header>`
    : html`<header class="top"><p class="brand">Ouderlijn</p></header>`;
  return html`<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${title} – Ouderlijn</title>
<link rel="stylesheet" href="/staff/style.css">
</head>
<body>
<a class="skip" href="#main">Naar de inhoud</a>
${header}
<main id="main" tabindex="-1">
<h1>${title}</h1>
${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
${body}
</main>
</body>
</html>`.value;
}
