import type { Language } from '../language/languages.js';
import type { Scored, TrainingExample } from './intentModel.js';
import { arabicSkeleton, normalizeText } from './normalize.js';

/**
 * A second intent model next to NLP.js: softmax regression over character n-grams and
 * words, one per language. Character n-grams see through what parents' messages are full
 * of and a stemmer is not: typos, missing diacritics, inflected names and nouns
 * ("syna", "synem"), Arabizi, and Dutch school words inside other languages.
 * Training is deterministic (fixed example order, no randomness) and takes about a second.
 */
export class NgramModel {
  private constructor(private readonly perLanguage: Map<Language, LanguageModel>) {}

  static train(examples: TrainingExample[], options: { epochs?: number; rate?: number; l2?: number } = {}): NgramModel {
    const byLanguage = new Map<Language, TrainingExample[]>();
    for (const e of examples) byLanguage.set(e.language, [...(byLanguage.get(e.language) ?? []), e]);
    const models = new Map<Language, LanguageModel>();
    for (const [language, list] of byLanguage) models.set(language, LanguageModel.train(language, list, options));
    return new NgramModel(models);
  }

  classify(language: Language, text: string): Scored[] {
    return this.perLanguage.get(language)?.classify(text) ?? [];
  }
}

class LanguageModel {
  private constructor(
    private readonly language: Language,
    private readonly labels: string[],
    private readonly featureIds: Map<string, number>,
    private readonly weights: Float32Array,
    private readonly bias: Float32Array,
  ) {}

  static train(language: Language, examples: TrainingExample[], { epochs = 30, rate = 0.5, l2 = 1e-5 }): LanguageModel {
    const labels = [...new Set(examples.map((e) => e.label))].sort();
    const labelIndex = new Map(labels.map((l, i) => [l, i]));
    // A feature seen in one example only teaches nothing general and costs a weight per
    // label; dropping those halves the model's memory.
    const seen = new Map<string, number>();
    for (const e of examples) for (const f of new Set(features(e.text, language))) seen.set(f, (seen.get(f) ?? 0) + 1);
    const featureIds = new Map<string, number>();
    const encoded = examples.map((e) => {
      const ids: number[] = [];
      for (const f of new Set(features(e.text, language))) {
        if ((seen.get(f) ?? 0) < 2) continue;
        let id = featureIds.get(f);
        if (id === undefined) featureIds.set(f, (id = featureIds.size));
        ids.push(id);
      }
      return { ids, label: labelIndex.get(e.label)! };
    });
    const k = labels.length;
    const weights = new Float32Array(featureIds.size * k);
    const bias = new Float32Array(k);
    const scores = new Float64Array(k);
    for (let epoch = 0; epoch < epochs; epoch++) {
      const step = rate / (1 + epoch * 0.2);
      // A fixed interleaving instead of a random shuffle keeps training reproducible.
      for (let n = 0; n < encoded.length; n++) {
        const { ids, label } = encoded[(n * 7919 + epoch * 104729) % encoded.length]!;
        const scale = 1 / Math.sqrt(ids.length);
        softmax(ids, scale, weights, bias, k, scores);
        for (let c = 0; c < k; c++) {
          const gradient = scores[c]! - (c === label ? 1 : 0);
          if (Math.abs(gradient) < 1e-4) continue;
          bias[c]! -= step * gradient;
          for (const id of ids) {
            const w = id * k + c;
            weights[w] = weights[w]! - step * (gradient * scale + l2 * weights[w]!);
          }
        }
      }
    }
    return new LanguageModel(language, labels, featureIds, weights, bias);
  }

  classify(text: string): Scored[] {
    const ids = [...new Set(features(text, this.language).map((f) => this.featureIds.get(f)).filter((id): id is number => id !== undefined))];
    if (ids.length === 0) return [];
    const k = this.labels.length;
    const scores = new Float64Array(k);
    softmax(ids, 1 / Math.sqrt(ids.length), this.weights, this.bias, k, scores);
    return this.labels.map((label, i) => ({ label, score: scores[i]! })).sort((a, b) => b.score - a.score);
  }
}

function softmax(ids: number[], scale: number, weights: Float32Array, bias: Float32Array, k: number, out: Float64Array): void {
  let max = -Infinity;
  for (let c = 0; c < k; c++) {
    let s = bias[c]!;
    for (const id of ids) s += weights[id * k + c]! * scale;
    out[c] = s;
    if (s > max) max = s;
  }
  let sum = 0;
  for (let c = 0; c < k; c++) sum += out[c] = Math.exp(out[c]! - max);
  for (let c = 0; c < k; c++) out[c]! /= sum;
}

/**
 * Words, word pairs, and the 3- and 4-letter pieces of each word (with its edges marked).
 * Arabic also gets each word's consonant skeleton, the same for both ways parents write
 * Moroccan Arabic ("المدرسة" and "lmadrasa" are both "lmdrs"), so what the examples teach in
 * one script also counts in the other. (5-fold cross-validation: Arabic cost 1319 -> 1303.)
 */
export function features(text: string, language?: Language): string[] {
  const words = normalizeText(text).split(' ').filter(Boolean);
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    out.push(`w:${w}`);
    if (i > 0) out.push(`b:${words[i - 1]} ${w}`);
    const padded = `<${w}>`;
    for (const n of [3, 4]) for (let j = 0; j + n <= padded.length; j++) out.push(padded.slice(j, j + n));
    if (language === 'ar') {
      const skeleton = arabicSkeleton(w);
      if (skeleton.length >= 2) out.push(`s:${skeleton}`);
    }
  }
  return out;
}
