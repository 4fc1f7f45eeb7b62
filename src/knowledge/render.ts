import type { Channel } from '../channels/types.js';
import { fenceLtr, withDirection, type Language } from '../language/languages.js';
import type { Locales } from './locales.js';
import type { SchoolPlaceholder } from './schema.js';
import { packIntoParts, SMS_SEGMENT_BUDGET, segmentCount, WHATSAPP_MAX_CHARS } from './smsFit.js';

export type SchoolDetails = Record<SchoolPlaceholder, string | null>;

/**
 * Fills `{school.xxx}`. An empty detail becomes "ask the school (phone)" in the parent's
 * language, so the sentence still tells the parent what to do. In Arabic, Latin values
 * (times, numbers, links) are fenced so they keep their order inside right-to-left text.
 */
export function fillPlaceholders(text: string, details: SchoolDetails, language: Language, locales: Locales): string {
  return text.replace(/\{school\.([a-zA-Z]+)\}/g, (_m, name: SchoolPlaceholder) => {
    const value = details[name]?.trim();
    if (value) return fenceLtr(value, language);
    const phone = details.phone?.trim();
    return phone
      ? locales.format('detail.missingWithPhone', [language], { schoolPhone: fenceLtr(phone, language) }).text
      : locales.format('detail.missing', [language]).text;
  });
}

export interface ChannelParts {
  /** What is sent now. */
  first: string;
  /** What MORE sends next, in order. */
  rest: string[];
}

/**
 * Shapes an answer for the channel. SMS: the first message fits 3 segments in its own
 * encoding (GSM-7 or UCS-2); the rest waits for MORE, each part announcing how many
 * remain. WhatsApp: the whole answer at once.
 */
export function fitToChannel(text: string, more: string | undefined, channel: Channel, language: Language, locales: Locales): ChannelParts {
  const whole = more ? `${text}\n\n${more}` : text;
  if (channel === 'whatsapp' && whole.length <= WHATSAPP_MAX_CHARS) {
    return { first: withDirection(whole, language), rest: [] };
  }
  const hint = (count: number) => ` ${locales.format('more.hint', [language], { count }).text}`;
  if (!more && segmentCount(withDirection(text, language)) <= SMS_SEGMENT_BUDGET) {
    return { first: withDirection(text, language), rest: [] };
  }
  // Reserve room for the longest hint wording we may need (plural forms differ in length).
  // Right-to-left parts also carry the RLM that withDirection() puts in front.
  const reserve = withDirection('', language) + [1, 2, 3, 5, 9].map(hint).reduce((a, b) => (a.length >= b.length ? a : b));
  const head = packIntoParts(text, reserve);
  const tail = more ? packIntoParts(more, reserve) : [];
  const parts = [...head, ...tail];
  return {
    first: withDirection(parts.length > 1 ? parts[0]! + hint(parts.length - 1) : parts[0]!, language),
    rest: parts.slice(1).map((p, i) => {
      const remaining = parts.length - 2 - i;
      return withDirection(remaining > 0 ? p + hint(remaining) : p, language);
    }),
  };
}
