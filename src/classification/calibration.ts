/**
 * Finds each language's answer bar by cross-validation on the knowledge base's own examples
 * (never on the evaluation sets in test/fixtures, which only measure). `npm run calibrate`
 * writes the result to intents/calibration.yaml.
 *
 * Each example is left out of training once (k folds), classified by a classifier trained on
 * the rest with every answer bar at 0, and its would-be answer score kept. A candidate bar is
 * then scored by what it would cost: a wrong answer (a general question answered with another
 * intent, or a message for a person answered at all) costs WRONG_ANSWER_COST, a general
 * question sent to a person costs 1 (a short wait). The cheapest bar wins; ties go to the
 * higher, safer bar. A language keeps the default bar unless another saves at least
 * MIN_SAVING of its cost: smaller differences are within what one more fold would change, and
 * a bar that moves with every new example makes routing hard to reason about.
 */
import { DEFAULT_ANSWER_THRESHOLD, type KnowledgeBase } from '../knowledge/load.js';
import { SUPPORTED_LANGUAGES, type Language } from '../language/languages.js';
import { Classifier } from './classifier.js';

/** INTENTS.md: "a wrong automatic answer costs more than a short wait for a person". */
export const WRONG_ANSWER_COST = 3;
/** The share of the default bar's cost another bar must save to replace it. */
export const MIN_SAVING = 0.02;
/** The bars tried, from 0.40 to 0.80 (the file's schema allows 0.4 to 0.9). */
export const CANDIDATE_BARS = Array.from({ length: 9 }, (_, i) => Math.round((0.4 + i * 0.05) * 100) / 100);

/** One held-out example, classified with every answer bar at 0. */
export interface HeldOut {
  language: Language;
  /** The intent it is an example of, or null for a message that needs a person (forward, absence, urgent). */
  expectedIntent: string | null;
  /** The intent it would be answered with, and the score, if the bar were 0; null when routed elsewhere. */
  answeredIntent: string | null;
  score: number;
}

export interface BarOutcome {
  bar: number;
  cost: number;
  /** General questions answered with their own intent. */
  answeredRight: number;
  /** General questions answered with another intent. */
  answeredWrong: number;
  /** Messages for a person (forward, absence, urgent examples) answered automatically. */
  unsafe: number;
  /** General questions sent to a person. */
  forwarded: number;
  general: number;
  personal: number;
}

/** What a bar would do to these held-out examples of one language. */
export function outcomeAt(bar: number, examples: HeldOut[]): BarOutcome {
  const o: BarOutcome = { bar, cost: 0, answeredRight: 0, answeredWrong: 0, unsafe: 0, forwarded: 0, general: 0, personal: 0 };
  for (const e of examples) {
    const answered = e.answeredIntent !== null && e.score >= bar;
    if (e.expectedIntent === null) {
      o.personal++;
      if (answered) o.unsafe++;
    } else {
      o.general++;
      if (!answered) o.forwarded++;
      else if (e.answeredIntent === e.expectedIntent) o.answeredRight++;
      else o.answeredWrong++;
    }
  }
  o.cost = WRONG_ANSWER_COST * (o.answeredWrong + o.unsafe) + o.forwarded;
  return o;
}

/**
 * The cheapest bar for one language's held-out examples (the higher one on a tie), or the
 * default bar when the cheapest saves less than MIN_SAVING of the default's cost.
 */
export function chooseBar(examples: HeldOut[], candidates: readonly number[] = CANDIDATE_BARS, fallback = DEFAULT_ANSWER_THRESHOLD): BarOutcome {
  const best = cheapestBar(examples, candidates);
  const atFallback = outcomeAt(fallback, examples);
  return best.cost <= atFallback.cost * (1 - MIN_SAVING) ? best : atFallback;
}

/** The cheapest of the candidate bars; the higher one on a tie. */
export function cheapestBar(examples: HeldOut[], candidates: readonly number[] = CANDIDATE_BARS): BarOutcome {
  if (candidates.length === 0) throw new Error('cheapestBar: no candidate bars');
  let best: BarOutcome | null = null;
  for (const bar of [...candidates].sort((a, b) => b - a)) {
    const o = outcomeAt(bar, examples);
    if (!best || o.cost < best.cost) best = o;
  }
  return best!;
}

/** Splits a list into k folds, round-robin, so every label is spread over all folds. */
function foldOf(index: number, folds: number): number {
  return index % folds;
}

/** The knowledge base with fold `fold`'s examples left out (returned separately). */
function splitFold(kb: KnowledgeBase, fold: number, folds: number) {
  const heldOut: { language: Language; text: string; expectedIntent: string | null }[] = [];
  const keep = <T extends { examples: Record<Language, string[]> }>(entry: T, expectedIntent: string | null): T => {
    const examples = {} as Record<Language, string[]>;
    for (const language of SUPPORTED_LANGUAGES) {
      examples[language] = entry.examples[language].filter((text, i) => {
        if (foldOf(i, folds) !== fold) return true;
        heldOut.push({ language, text, expectedIntent });
        return false;
      });
    }
    return { ...entry, examples };
  };
  const answers = new Map([...kb.answers].map(([id, entry]) => [id, keep(entry, id)]));
  // The language route is a menu, not a person: its examples are neither general nor personal.
  const routes = new Map([...kb.routes].map(([route, entry]) => [route, route === 'language' ? entry : keep(entry, null)]));
  return { kb: { ...kb, answers, routes }, heldOut };
}

const ZERO_BARS = Object.fromEntries(SUPPORTED_LANGUAGES.map((l) => [l, 0])) as Record<Language, number>;

/** k-fold cross-validation: every example classified once by a classifier that never saw it. */
export async function crossValidate(kb: KnowledgeBase, folds = 5, onFold?: (fold: number) => void): Promise<HeldOut[]> {
  const results: HeldOut[] = [];
  for (let fold = 0; fold < folds; fold++) {
    onFold?.(fold);
    const split = splitFold(kb, fold, folds);
    const classifier = await Classifier.create(split.kb, { answerThreshold: ZERO_BARS });
    for (const example of split.heldOut) {
      // As the gateway would see it: language detected, the gate and the name check applied.
      const c = await classifier.classify(example.text);
      const answered = c.route === 'answer' ? c.intent : null;
      // Scored under the example's own language: a misdetected example still counts there.
      results.push({ language: example.language, expectedIntent: example.expectedIntent, answeredIntent: answered, score: answered ? c.confidence : 0 });
    }
  }
  return results;
}
