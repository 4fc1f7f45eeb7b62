import type { Language } from '../language/languages.js';
import { SUPPORTED_LANGUAGES } from '../language/languages.js';
import { normalizeText } from './normalize.js';

/**
 * Whole-message keywords (STOP, START, MORE and their translations). Like the carriers'
 * own handling, only a message that is exactly a keyword counts: "stop het pesten" is not
 * an opt-out. Politeness words around it are allowed ("stop pls", "MEER aub").
 */
export class KeywordMatcher {
  private readonly index = new Map<string, Language[]>();
  private readonly polite = new Map<string, Language[]>();

  constructor(lists: Record<Language, string[]>, polite?: Record<Language, string[]>) {
    for (const language of SUPPORTED_LANGUAGES) {
      for (const word of polite?.[language] ?? []) {
        const key = normalizeText(word);
        this.polite.set(key, [...(this.polite.get(key) ?? []), language]);
      }
    }
    for (const language of SUPPORTED_LANGUAGES) {
      for (const keyword of lists[language]) {
        const key = normalizeText(keyword);
        const langs = this.index.get(key) ?? [];
        if (!langs.includes(language)) langs.push(language);
        this.index.set(key, langs);
      }
    }
  }

  /**
   * The languages whose list holds this message as a keyword (empty when none). Politeness
   * words narrow that down: "stop lütfen" is Turkish, though STOP is in every list.
   */
  match(text: string): Language[] {
    const normalized = normalizeText(text);
    const exact = this.index.get(normalized);
    if (exact) return exact;
    // Longest polite phrase first ("por favor" before "por"), at either end of the message.
    const phrases = [...this.polite.keys()].sort((a, b) => b.length - a.length);
    let rest = ` ${normalized} `;
    const hints = new Set<Language>();
    let changed = true;
    while (changed) {
      changed = false;
      for (const phrase of phrases) {
        const edge = ` ${phrase} `;
        if (rest.trim() === phrase) continue;
        if (rest.startsWith(edge)) rest = rest.slice(phrase.length + 1);
        else if (rest.endsWith(edge)) rest = rest.slice(0, rest.length - phrase.length - 1);
        else continue;
        changed = true;
        for (const l of this.polite.get(phrase)!) hints.add(l);
      }
    }
    const langs = this.index.get(rest.trim()) ?? [];
    const narrowed = langs.filter((l) => hints.has(l));
    return narrowed.length > 0 ? narrowed : langs;
  }
}
