import type { Language } from '../../language/languages.js';

/** Language names in Dutch, for staff. */
export const LANGUAGE_NAME_NL: Record<Language, string> = {
  nl: 'Nederlands', en: 'Engels', tr: 'Turks', ar: 'Arabisch', pl: 'Pools', uk: 'Oekraïens', fr: 'Frans', es: 'Spaans',
};

export function languageName(code: string | null | undefined): string {
  return (code && LANGUAGE_NAME_NL[code as Language]) || code || 'onbekend';
}

export const KIND_NL: Record<string, string> = { urgent: 'Dringend', forward: 'Vraag', absence: 'Afwezigheid' };

export const ROLE_NL: Record<string, string> = {
  teacher: 'leerkracht', mentor: 'mentor', parent_contact: 'oudercontactfunctionaris', attendance: 'verzuim/administratie',
  care_coordinator: 'intern begeleider', director: 'directeur',
};

export const STATUS_NL: Record<string, string> = {
  received: 'ontvangen', queued: 'in de wachtrij', sending: 'wordt verzonden', sent: 'verzonden', delivered: 'afgeleverd',
  read: 'gelezen', undelivered: 'niet afgeleverd', failed: 'mislukt',
};

export const VIA_NL: Record<string, string> = { sms: 'sms', whatsapp_session: 'WhatsApp', whatsapp_template: 'WhatsApp (sjabloon)' };

export const SKIPPED_NL: Record<string, string> = {
  no_consent: 'geen toestemming voor meldingen', opted_out: 'heeft STOP gestuurd', no_number: 'geen telefoonnummer',
  adult_student: 'meerderjarige leerling (geen toestemming)', no_channel: 'geen kanaal om te versturen',
};

export const REASON_NL: Record<string, string> = { sick: 'ziek', medical: 'arts/tandarts', family: 'familie', other: 'anders' };

/** "nog 25 min", "nog 3 u", "nog 2 d", "te laat". */
export function timeLeft(dueAt: Date | null, now: Date): { text: string; late: boolean } {
  if (!dueAt) return { text: 'geen termijn', late: false };
  const ms = dueAt.getTime() - now.getTime();
  if (ms <= 0) return { text: 'te laat', late: true };
  const min = Math.ceil(ms / 60_000);
  if (min < 60) return { text: `nog ${min} min`, late: false };
  const hours = Math.floor(min / 60);
  if (hours < 48) return { text: `nog ${hours} u`, late: false };
  return { text: `nog ${Math.floor(hours / 24)} d`, late: false };
}

/** "1 u 20 min", "35 min", "2 d 3 u". */
export function duration(ms: number): string {
  const min = Math.round(ms / 60_000);
  if (min < 60) return `${min} min`;
  const hours = Math.floor(min / 60);
  if (hours < 24) return `${hours} u${min % 60 ? ` ${min % 60} min` : ''}`;
  return `${Math.floor(hours / 24)} d${hours % 24 ? ` ${hours % 24} u` : ''}`;
}

export function dateTime(d: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('nl-NL', { timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(d);
}

export function firstLine(text: string, max = 90): string {
  const line = text.replace(/^[\u200e\u200f]+/, '').split('\n').find((l) => l.trim()) ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
