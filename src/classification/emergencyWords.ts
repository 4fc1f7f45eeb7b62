import type { Language } from '../language/languages.js';
import { normalizeText } from './normalize.js';

/** Arabic letters written onto the next word: و (and), ف (so/in), ب (with), ل (to). */
const ARABIC_PREFIX = /^[وفبل](?=\p{Script=Arabic}{3})/u;

/**
 * Curated emergency words per language (intents/routes/emergency.yaml): "vermist", "politie",
 * "bloedt", "112". Unlike STOP, a word counts anywhere in the message. The classifier sends
 * most emergencies to `urgent` by itself, but one that reads like an ordinary question about
 * a child ("ابني ضاع", my son is lost) would otherwise become a normal ticket with a reply
 * deadline; such a word makes it urgent at once. The lists hold only words an ordinary
 * message to a school almost never uses.
 */
export class EmergencyWords {
  private readonly words = new Map<Language, Set<string>>();
  private readonly phrases = new Map<Language, string[]>();

  constructor(lists: Partial<Record<Language, string[]>>) {
    for (const [language, list] of Object.entries(lists) as [Language, string[]][]) {
      const normalized = list.map(normalizeText).filter(Boolean);
      this.words.set(language, new Set(normalized.filter((w) => !w.includes(' '))));
      this.phrases.set(language, normalized.filter((w) => w.includes(' ')));
    }
  }

  /** The emergency word or phrase the message contains in this language, or null. */
  find(language: Language, text: string): string | null {
    const normalized = normalizeText(text);
    if (!normalized) return null;
    const words = this.words.get(language);
    for (const token of normalized.split(' ')) {
      if (words?.has(token)) return token;
      const bare = token.replace(ARABIC_PREFIX, '');
      if (bare !== token && words?.has(bare)) return bare;
    }
    const padded = ` ${normalized} `;
    return this.phrases.get(language)?.find((p) => padded.includes(` ${p} `)) ?? null;
  }
}
