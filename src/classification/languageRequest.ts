import { SUPPORTED_LANGUAGES, type Language } from '../language/languages.js';
import { LANGUAGE_NAMES } from '../language/names.js';
import { normalizeText } from './normalize.js';

const NAMES: [string, Language][] = SUPPORTED_LANGUAGES.flatMap((l) =>
  LANGUAGE_NAMES[l].map((name) => [normalizeText(name), l] as [string, Language]),
).sort((a, b) => b[0].length - a[0].length);

/** The language named in the message ("English please" -> en), if exactly one is named. */
export function requestedLanguage(text: string): Language | null {
  const padded = ` ${normalizeText(text)} `;
  const found = new Set<Language>();
  for (const [name, language] of NAMES) {
    // Arabic often glues the preposition: "بالعربية" = "in Arabic"; match inside words there.
    const arabic = /\p{Script=Arabic}/u.test(name);
    if (arabic ? padded.includes(name) : padded.includes(` ${name} `)) found.add(language);
  }
  return found.size === 1 ? [...found][0]! : null;
}

/** True when the message is nothing but a language name ("Türkçe", "po polsku"). */
export function isOnlyLanguageName(text: string): boolean {
  const normalized = normalizeText(text);
  return NAMES.some(([name]) => name === normalized);
}

const NAME_WORDS = new Set(NAMES.flatMap(([name]) => name.split(' ')));

/** True for a word that is (part of) a language name, e.g. "turks" or "polsku". */
export function isLanguageNameWord(normalizedWord: string): boolean {
  return NAME_WORDS.has(normalizedWord);
}
