/** Letters with no Unicode decomposition that parents often type without the mark. */
const FOLD: Record<string, string> = { ı: 'i', ł: 'l', ø: 'o', ß: 'ss', đ: 'd', æ: 'ae', œ: 'oe' };

/**
 * Lower-case, strip diacritics ("çocuğum" -> "cocugum", "chory" stays), Arabic tashkeel
 * and tatweel, punctuation and emoji; collapse spaces. Both training examples and incoming
 * messages go through this, so "cocugum hasta" and "çocuğum hasta" look the same.
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/\p{M}+/gu, '')
    .replace(/[ıłøßđæœ]/g, (c) => FOLD[c] ?? c)
    .replace(/\u0640/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function tokens(text: string): string[] {
  const normalized = normalizeText(text);
  return normalized ? normalized.split(' ') : [];
}

export type Script = 'arabic' | 'cyrillic' | 'latin' | 'none';

/**
 * The script the parent writes in. Arabic or Cyrillic text often carries Dutch school
 * words in Latin letters ("що таке praktijkonderwijs"), while Dutch, English or Turkish
 * text never carries Arabic or Cyrillic words, so a few letters of those scripts decide.
 */
export function dominantScript(text: string): Script {
  const arabic = text.match(/\p{Script=Arabic}/gu)?.length ?? 0;
  const cyrillic = text.match(/\p{Script=Cyrillic}/gu)?.length ?? 0;
  const latin = text.match(/\p{Script=Latin}/gu)?.length ?? 0;
  if (Math.max(arabic, cyrillic) >= 2) return arabic >= cyrillic ? 'arabic' : 'cyrillic';
  const max = Math.max(arabic, cyrillic, latin);
  if (max === 0) return 'none';
  if (max === arabic) return 'arabic';
  if (max === cyrillic) return 'cyrillic';
  return 'latin';
}

/**
 * Moroccan Arabic in Latin letters (Arabizi) writes sounds Latin lacks as digits inside
 * words: 3 (ع), 7 (ح), 9 (ق), 5 (خ), 2 (ء). "wa7ed", "3ndha", "sba7". No other language
 * we serve does this, so such a word is evidence for Arabic on its own.
 */
export function isArabiziWord(word: string): boolean {
  return word.length >= 3 && /^(?=.*\p{L})[\p{L}\d]*(?:\p{L}[23579]|[23579]\p{L})[\p{L}\d]*$/u.test(word) && !/^\d+(st|nd|rd|th|e|de|ste|ème|eme|er|ers|h|u|uur|x)$/u.test(word);
}

/** Arabic letters as the consonants Arabizi writes for them; alif, waw, ya and ta marbuta are vowels there. */
const ARABIC_CONSONANTS: Record<string, string> = {
  ب: 'b', ت: 't', ث: 't', ج: 'j', ح: 'h', خ: 'x', د: 'd', ذ: 'd', ر: 'r', ز: 'z', س: 's', ش: 'c', ص: 's', ض: 'd',
  ط: 't', ظ: 'd', ع: '3', غ: 'g', ف: 'f', ق: 'q', ك: 'k', ل: 'l', م: 'm', ن: 'n', ه: 'h', پ: 'b', ڤ: 'v', گ: 'g', ڭ: 'g',
};

/**
 * A normalised word's consonants, in one spelling for Arabic script and Arabizi: "المدرسة",
 * "lmadrasa" and "lmdrsa" all give "lmdrs", "واش" and "wach" give "c", "قاعة" and "9a3a" "q3".
 * Vowels, w and y drop out (Arabic script mostly leaves vowels unwritten, and و/ي are read
 * as either), digraphs become one letter, doubled letters one.
 */
export function arabicSkeleton(word: string): string {
  const consonants = /\p{Script=Arabic}/u.test(word)
    ? [...word].map((c) => ARABIC_CONSONANTS[c] ?? '').join('')
    : word.replace(/ch|sh/g, 'c').replace(/kh|5/g, 'x').replace(/gh/g, 'g').replace(/7/g, 'h').replace(/9/g, 'q').replace(/2/g, '').replace(/[aeiouwy]/g, '');
  return consonants.replace(/(.)\1+/g, '$1');
}
