import type { Language } from '../language/languages.js';
import { tokens } from './normalize.js';

/**
 * A second opinion on `answer`: is this a general question, or one about a particular
 * child ("how are my son's grades", "jak oceny syna")? A multinomial naive Bayes per
 * language over words and word beginnings, with equal priors. Topic words occur in both
 * classes (every intent has personal twins among the forward examples), so they cancel out
 * and the words that carry the difference decide: possessives, past tense, names.
 */
export class PersonalGate {
  private readonly counts = new Map<Language, { personal: Map<string, number>; general: Map<string, number>; totals: [number, number] }>();
  private readonly vocabulary = new Map<Language, Set<string>>();

  constructor(examples: Iterable<{ language: Language; text: string; personal: boolean }>) {
    for (const { language, text, personal } of examples) {
      let entry = this.counts.get(language);
      if (!entry) {
        entry = { personal: new Map(), general: new Map(), totals: [0, 0] };
        this.counts.set(language, entry);
        this.vocabulary.set(language, new Set());
      }
      const target = personal ? entry.personal : entry.general;
      for (const f of features(text)) {
        target.set(f, (target.get(f) ?? 0) + 1);
        entry.totals[personal ? 0 : 1]++;
        this.vocabulary.get(language)!.add(f);
      }
    }
  }

  /** Probability (0..1) that the message is about one particular child. */
  personalProbability(language: Language, text: string): number {
    const entry = this.counts.get(language);
    if (!entry) return 0;
    const v = this.vocabulary.get(language)!.size;
    let logRatio = 0;
    for (const f of features(text)) {
      const p = entry.personal.get(f) ?? 0;
      const g = entry.general.get(f) ?? 0;
      if (p + g === 0) continue; // unseen: no evidence either way
      logRatio += Math.log((p + 1) / (entry.totals[0] + v)) - Math.log((g + 1) / (entry.totals[1] + v));
    }
    return 1 / (1 + Math.exp(-logRatio));
  }
}

/** Words, plus the first five letters of longer words so inflections meet ("syna", "synem"). */
function features(text: string): string[] {
  const words = tokens(text);
  return [...words, ...words.filter((w) => w.length > 5).map((w) => `${w.slice(0, 5)}…`)];
}
