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

/** The script most letters of the message are written in. */
export function dominantScript(text: string): Script {
  const arabic = text.match(/\p{Script=Arabic}/gu)?.length ?? 0;
  const cyrillic = text.match(/\p{Script=Cyrillic}/gu)?.length ?? 0;
  const latin = text.match(/\p{Script=Latin}/gu)?.length ?? 0;
  const max = Math.max(arabic, cyrillic, latin);
  if (max === 0) return 'none';
  if (max === arabic) return 'arabic';
  if (max === cyrillic) return 'cyrillic';
  return 'latin';
}
