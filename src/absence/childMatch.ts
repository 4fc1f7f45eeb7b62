import { distance } from 'fastest-levenshtein';
import { transliterate } from 'transliteration';
import { normalizeText } from '../classification/normalize.js';

export interface ChildName {
  id: string;
  firstName: string;
  /** Other names the family uses, from the school record. */
  nicknames: string[];
}

/** Arabic clitics written onto the next word: "وسامي" (and Sami), "لأحمد" (for Ahmed). */
const ARABIC_PREFIXES = /^(?:وال|بال|لل|ال|و|ف|ب|ل)/u;

/** Latin letters for any script: "Максим" -> "maksim", "أحمد" -> "hmd". */
function latin(word: string): string {
  // Marks first (shadda, diacritics), and ة written as ه: "محمّد", "خديجه".
  return normalizeText(transliterate(normalizeText(word).replace(/[ةه]$/u, 'ا'))).replace(/\s+/g, '');
}

/** Consonants only, doubles collapsed: Arabic script writes no short vowels. */
function skeleton(word: string): string {
  return word.replace(/[aeiouy']/g, '').replace(/(.)\1+/g, '$1');
}

function forms(child: ChildName): string[] {
  return [child.firstName, ...child.nicknames].flatMap((n) => normalizeText(n).split(' ')).filter((n) => n.length >= 2).map(latin);
}

function wordMatches(word: string, arabicScript: boolean, name: string): boolean {
  if (word === name) return true;
  if (arabicScript) return skeleton(word).length >= 2 && skeleton(word) === skeleton(name);
  // Short names only exactly: "Daan" must not match the Dutch word "dan".
  if (name.length >= 5 && word.length >= 4 && distance(word, name) <= (name.length >= 8 ? 2 : 1)) return true;
  // Case endings: "Софії", "Tarasom", "Zeynebin", "Kuby" — the stem plus a short ending.
  const stem = name.replace(/[aeiouy]+$/, '').replace(/p$/, '');
  return stem.length >= 3 && name.length >= 4 && word.length - stem.length <= 3 && word.length >= stem.length + 1
    && (word.startsWith(stem) || (name.endsWith('p') && word.startsWith(`${stem}b`)));
}

/**
 * Which of the guardian's children a message names, in the order named. Tolerant of
 * spelling ("Ines", "Inès", "Innes"), nicknames from the school record, Cyrillic and
 * Arabic script ("Максим", "سامي").
 */
export function matchChildren(text: string, children: ChildName[]): string[] {
  const found: string[] = [];
  const words = text.normalize('NFC').split(/[^\p{L}\p{M}\p{N}']+/u).filter(Boolean);
  for (const raw of words) {
    const arabicScript = /\p{Script=Arabic}/u.test(raw);
    const candidates = arabicScript ? [raw, raw.replace(ARABIC_PREFIXES, '')] : [raw.split("'")[0] ?? raw];
    for (const candidate of candidates) {
      const word = latin(candidate);
      if (word.length < 2) continue;
      for (const child of children) {
        if (found.includes(child.id)) continue;
        if (forms(child).some((name) => wordMatches(word, arabicScript, name))) found.push(child.id);
      }
    }
  }
  return found;
}
