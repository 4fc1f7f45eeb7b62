/** The languages Ouderlijn speaks. Dutch is the base: every text exists in Dutch first. */
export const SUPPORTED_LANGUAGES = ['nl', 'en', 'tr', 'ar', 'pl', 'uk', 'fr', 'es'] as const;
export type Language = (typeof SUPPORTED_LANGUAGES)[number];
export const BASE_LANGUAGE: Language = 'nl';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (SUPPORTED_LANGUAGES as readonly string[]).includes(value);
}

/** Names in the language itself (for the language menu) and writing direction. */
export const LANGUAGE_INFO: Record<Language, { nativeName: string; rtl: boolean }> = {
  nl: { nativeName: 'Nederlands', rtl: false },
  en: { nativeName: 'English', rtl: false },
  tr: { nativeName: 'Türkçe', rtl: false },
  ar: { nativeName: 'العربية', rtl: true },
  pl: { nativeName: 'Polski', rtl: false },
  uk: { nativeName: 'Українська', rtl: false },
  fr: { nativeName: 'Français', rtl: false },
  es: { nativeName: 'Español', rtl: false },
};

/**
 * The one fallback order for every text: the guardian's language, then the school's
 * default language, then Dutch. Duplicates and unsupported values are dropped.
 */
export function fallbackChain(...preferred: (string | null | undefined)[]): Language[] {
  const chain: Language[] = [];
  for (const lang of [...preferred, BASE_LANGUAGE]) {
    if (isLanguage(lang) && !chain.includes(lang)) chain.push(lang);
  }
  return chain;
}

/** A translation map with Dutch as its base. */
export type Translations<T> = { [L in Language]?: T } & { nl: T };

/** Picks the first language of the chain that the map has. */
export function pickTranslation<T>(map: Translations<T>, chain: Language[]): { language: Language; value: T } {
  for (const lang of chain) {
    const value = map[lang];
    if (value !== undefined) return { language: lang, value };
  }
  return { language: BASE_LANGUAGE, value: map.nl };
}

const LRM = '\u200E';
const RLM = '\u200F';

/**
 * Keeps right-to-left text readable on phones: an Arabic message starts with a
 * right-to-left mark (so a message opening with a Latin name still reads RTL), and
 * left-to-right values inside it (times, phone numbers, links) are fenced with
 * left-to-right marks so "020 123 4567" is not shown as "4567 123 020".
 */
export function fenceLtr(value: string, language: Language): string {
  return LANGUAGE_INFO[language].rtl && value ? `${LRM}${value}${LRM}` : value;
}

export function withDirection(text: string, language: Language): string {
  return LANGUAGE_INFO[language].rtl && !text.startsWith(RLM) ? `${RLM}${text}` : text;
}
