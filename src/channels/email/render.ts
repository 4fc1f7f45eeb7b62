import { noticeDeadline, noticeSubject, type Notice } from '../../handoff/notifier.js';
import type { NoticeReason } from '../../handoff/notices.js';

/** A staff notice as an e-mail: Dutch, plain text and simple HTML. */
export interface NoticeEmail {
  subject: string;
  text: string;
  html: string;
  /** 'high' for anything about an urgent ticket (urgent, or an urgent ticket escalated). */
  priority: 'high' | 'normal';
}

const INTRO_NL: Record<NoticeReason, string> = {
  assigned: 'Er is een nieuwe vraag van een ouder aan u toegewezen.',
  urgent: 'Een ouder heeft een dringend bericht gestuurd. Bekijk het direct.',
  reminder: 'Herinnering: deze vraag van een ouder wacht nog op uw antwoord.',
  escalated: 'Deze vraag van een ouder is niet op tijd beantwoord.',
  parent_wrote: 'De ouder heeft opnieuw geschreven over deze vraag.',
  reassigned: 'Een collega heeft deze vraag van een ouder aan u overgedragen.',
};

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** "tr" -> "Turks (tr)"; the code alone when the runtime does not know it. */
export function languageNameNl(code: string): string {
  try {
    const name = new Intl.DisplayNames(['nl'], { type: 'language', fallback: 'none' }).of(code);
    return name && name.toLowerCase() !== code.toLowerCase() ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}

/** Header values come from the database; never let a line break reach a header. */
function oneLine(value: string): string {
  return value.replace(/[\r\n\t]+/g, ' ').trim();
}

export function isUrgentNotice(n: Notice): boolean {
  return n.reason === 'urgent' || n.ticket.kind === 'urgent';
}

/**
 * The e-mail for one notice. It carries what the staff member needs to decide how soon to
 * act (the parent's words, language, child and class, deadline) and a link to the inbox,
 * where they answer. Never the parent's phone number or other contact details.
 */
export function renderNoticeEmail(n: Notice): NoticeEmail {
  const subject = oneLine(noticeSubject(n));
  const urgent = isUrgentNotice(n);
  const deadline = noticeDeadline(n);
  const child = [n.ticket.student, n.ticket.className].filter(Boolean).join(', ');
  const question = n.ticket.question.trim() || '(geen tekst)';
  const otherAssignee = n.ticket.assigneeName && n.ticket.assigneeName !== n.staff.name ? n.ticket.assigneeName : null;

  const facts: [string, string][] = [
    ['Taal van de ouder', languageNameNl(n.ticket.language)],
    ...(child ? [['Leerling', child] as [string, string]] : []),
    ...(deadline ? [[urgent ? 'Actie uiterlijk' : 'Antwoord uiterlijk', deadline] as [string, string]] : []),
    ...(otherAssignee ? [['Behandelaar', otherAssignee] as [string, string]] : []),
  ];
  const footer = `Beantwoord de ouder via de inbox: een antwoord op deze e-mail komt niet bij de ouder aan. Automatisch bericht van Ouderlijn voor ${n.school.name}.`;

  const text = [
    `Beste ${n.staff.name},`,
    '',
    ...(urgent ? ['DRINGEND'] : []),
    INTRO_NL[n.reason],
    '',
    'Bericht van de ouder:',
    ...question.split(/\r?\n/).map((line) => `> ${line}`),
    '',
    ...facts.map(([label, value]) => `${label}: ${value}`),
    '',
    `Openen in de inbox: ${n.inboxUrl}`,
    '',
    '-- ',
    footer,
  ].join('\n');

  const e = escapeHtml;
  const url = e(n.inboxUrl);
  const html = `<!DOCTYPE html>
<html lang="nl">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${e(subject)}</title></head>
<body style="margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1a1a1a;background:#ffffff">
<div style="max-width:600px">
${urgent ? '<p style="margin:0 0 12px;padding:8px 12px;background:#b00020;color:#ffffff;font-weight:bold">DRINGEND</p>\n' : ''}<p>Beste ${e(n.staff.name)},</p>
<p>${e(INTRO_NL[n.reason])}</p>
<p style="margin-bottom:4px"><strong>Bericht van de ouder:</strong></p>
<blockquote dir="auto" lang="${e(n.ticket.language)}" style="margin:0 0 16px;padding:8px 12px;border-left:4px solid #888888;background:#f4f4f4;white-space:pre-wrap">${e(question)}</blockquote>
<table role="presentation" style="border-collapse:collapse;margin-bottom:16px">
${facts.map(([label, value]) => `<tr><td style="padding:2px 12px 2px 0;color:#555555">${e(label)}</td><td style="padding:2px 0">${e(value)}</td></tr>`).join('\n')}
</table>
<p><a href="${url}" style="display:inline-block;padding:10px 18px;background:#1d5fbf;color:#ffffff;text-decoration:none;border-radius:4px;font-weight:bold">Openen in de inbox</a></p>
<p style="font-size:13px;color:#555555">Werkt de knop niet? Open deze link: <a href="${url}">${url}</a></p>
<p style="font-size:12px;color:#777777">${e(footer)}</p>
</div>
</body>
</html>
`;
  return { subject, text, html, priority: urgent ? 'high' : 'normal' };
}
