import type { Language } from '../language/languages.js';
import { SUPPORTED_LANGUAGES } from '../language/languages.js';
import { normalizeText } from './normalize.js';

/**
 * Whole-message keywords (STOP, START, MORE and their translations). Like the carriers'
 * own handling, only a message that is exactly a keyword counts: "stop het pesten" is not
 * an opt-out.
 */
export class KeywordMatcher {
  private readonly index = new Map<string, Language[]>();

  constructor(lists: Record<Language, string[]>) {
    for (const language of SUPPORTED_LANGUAGES) {
      for (const keyword of lists[language]) {
        const key = normalizeText(keyword);
        const langs = this.index.get(key) ?? [];
        if (!langs.includes(language)) langs.push(language);
        this.index.set(key, langs);
      }
    }
  }

  /** The languages whose list holds this message as a keyword (empty when none). */
  match(text: string): Language[] {
    return this.index.get(normalizeText(text)) ?? [];
  }
}
