import { detectAll } from 'tinyld';
import { dominantScript, isArabiziWord, tokens } from '../classification/normalize.js';
import { SUPPORTED_LANGUAGES, type Language } from './languages.js';

export interface LanguageGuess {
  language: Language;
  /** 0..1: how sure we are. Short or mixed messages score low. */
  confidence: number;
  /** Languages ranked by score, best first. */
  ranked: { language: Language; score: number }[];
}

/** Word counts per language from the curated examples (the knowledge base). */
export type Vocabulary = Map<Language, Map<string, number>>;

export function buildVocabulary(examples: Iterable<[Language, string]>): Vocabulary {
  const vocab: Vocabulary = new Map(SUPPORTED_LANGUAGES.map((l) => [l, new Map<string, number>()]));
  for (const [language, text] of examples) {
    const counts = vocab.get(language)!;
    for (const t of evidence(tokens(text))) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  return vocab;
}

/** A pseudo-word counted once per Arabizi word, so unseen Arabizi words still count. */
const ARABIZI = '<arabizi>';

function evidence(words: string[]): string[] {
  return [...words, ...words.filter(isArabiziWord).map(() => ARABIZI)];
}

const LATIN_LANGUAGES = SUPPORTED_LANGUAGES.filter((l) => l !== 'uk');

/**
 * Detects the language of a short parent message, offline and deterministically.
 * - Script first: Arabic script is `ar`; Cyrillic is `uk` (the only Cyrillic language we serve).
 * - Latin text combines tinyld's character-trigram model (good on sentences) with word
 *   evidence from our own curated examples (good on 2-3 word messages, misspellings
 *   without diacritics and Moroccan Arabic in Latin letters, which tinyld does not know).
 */
export class LanguageDetector {
  private readonly totals = new Map<Language, number>();
  private readonly known = new Set<string>();

  constructor(private readonly vocabulary: Vocabulary) {
    for (const [language, counts] of vocabulary) {
      let sum = 0;
      for (const [word, n] of counts) {
        sum += n;
        this.known.add(word);
      }
      this.totals.set(language, sum);
    }
  }

  /** True when some language's examples contain this (normalised) word. */
  knows(word: string): boolean {
    return this.known.has(word);
  }

  detect(text: string): LanguageGuess {
    const script = dominantScript(text);
    if (script === 'arabic') return single('ar', 0.99);
    if (script === 'cyrillic') return single('uk', 0.95);

    const words = tokens(text).filter((w) => !/^\d+$/.test(w));
    const fromWords = this.wordPosterior(evidence(words));
    const fromTrigrams = new Map<Language, number>();
    for (const { lang, accuracy } of detectAll(text, { only: [...LATIN_LANGUAGES] })) {
      fromTrigrams.set(lang as Language, accuracy);
    }
    fromTrigrams.delete('ar');
    const trigramMass = [...fromTrigrams.values()].reduce((a, b) => a + b, 0);
    // Trust the trigram model more as the message gets longer; words decide short ones.
    const trigramWeight = trigramMass > 0 ? Math.min(0.4, 0.12 * words.length) : 0;
    // tinyld knows no Arabizi: its trigram vote is silent on Arabic in Latin letters, so
    // Arabic keeps its word share there and the other languages share the rest.
    const arabizi = fromWords?.get('ar') ?? 0;
    const ranked = LATIN_LANGUAGES.map((language) => {
      const trigramShare = trigramMass > 0 ? (fromTrigrams.get(language) ?? 0) / trigramMass : 0;
      const t = language === 'ar' ? arabizi : trigramShare * (1 - arabizi);
      const w = fromWords?.get(language) ?? 0;
      const score = fromWords ? trigramWeight * t + (1 - trigramWeight) * w : t;
      return { language, score };
    }).sort((a, b) => b.score - a.score || LATIN_LANGUAGES.indexOf(a.language) - LATIN_LANGUAGES.indexOf(b.language));

    const best = ranked[0]!;
    const second = ranked[1]?.score ?? 0;
    if (best.score === 0) return { language: 'nl', confidence: 0, ranked };
    // Confidence: how clearly the best beats the runner-up, damped for short messages. One
    // word ("hallo", "ok") never counts as clearly another language: it stays below the
    // 0.5 bar at which a guardian's language is switched.
    const margin = (best.score - second) / best.score;
    const lengthFactor = words.length >= 3 ? 1 : words.length === 2 ? 0.75 : 0.45;
    return { language: best.language, confidence: round(margin * lengthFactor), ranked };
  }

  /** Naive Bayes over known words; undefined when no word of the message is known. */
  private wordPosterior(words: string[]): Map<Language, number> | undefined {
    const seen = words.filter((w) => this.known.has(w));
    if (seen.length === 0) return undefined;
    const logs = LATIN_LANGUAGES.map((language) => {
      const counts = this.vocabulary.get(language)!;
      const total = this.totals.get(language)! + this.known.size;
      let log = 0;
      for (const w of seen) log += Math.log(((counts.get(w) ?? 0) + 0.1) / total);
      return [language, log] as const;
    });
    const max = Math.max(...logs.map(([, l]) => l));
    const exp = logs.map(([l, v]) => [l, Math.exp(v - max)] as const);
    const sum = exp.reduce((a, [, v]) => a + v, 0);
    return new Map(exp.map(([l, v]) => [l, v / sum]));
  }
}

function single(language: Language, confidence: number): LanguageGuess {
  return { language, confidence, ranked: [{ language, score: confidence }] };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
