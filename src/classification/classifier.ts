import type { KnowledgeBase } from '../knowledge/load.js';
import { buildVocabulary, LanguageDetector, type LanguageGuess } from '../language/detect.js';
import { BASE_LANGUAGE, SUPPORTED_LANGUAGES, type Language } from '../language/languages.js';
import { IntentModel, type Scored, type TrainingExample } from './intentModel.js';
import { EmergencyWords } from './emergencyWords.js';
import { KeywordMatcher } from './keywords.js';
import { NgramModel } from './ngramModel.js';
import { PersonalGate } from './personalGate.js';
import { isLanguageNameWord, isOnlyLanguageName, requestedLanguage } from './languageRequest.js';
import { normalizeText, tokens } from './normalize.js';

export const ROUTES = ['answer', 'absence', 'forward', 'urgent', 'optout', 'optin', 'language'] as const;
export type Route = (typeof ROUTES)[number];

/**
 * The bars a model score must clear. The answer bar is per language, in the knowledge base
 * (intents/calibration.yaml, found by `npm run calibrate`): below it a question is forwarded
 * to a person, as a wrong automatic answer costs more than a short wait (INTENTS.md). Urgent
 * has the lowest bar on purpose: a missed emergency costs most of all.
 */
export const THRESHOLDS = {
  absence: 0.5,
  urgent: 0.3,
  language: 0.5,
  /** A second model's score above which a question is about one child, not general. */
  personal: 0.6,
  /** Detection confidence above which a message is "clearly" in a language. */
  clearLanguage: 0.5,
} as const;

export interface Classification {
  text: string;
  language: Language;
  route: Route;
  intent: string | null;
  confidence: number;
  /** How sure the language detection is (0..1). */
  languageConfidence: number;
  /** For route `language`: the language asked for, or null to show the menu. */
  requestedLanguage: Language | null;
  /** Why this route: keyword, language-name, model, below-threshold, unknown-words, names-a-person, about-one-child, emergency-word, empty. */
  basis: 'keyword' | 'language-name' | 'model' | 'below-threshold' | 'unknown-words' | 'names-a-person' | 'about-one-child' | 'emergency-word' | 'empty';
  /** The catalogue intent the message is nearest to, even when it is forwarded: the ticket's topic. */
  topic?: string | null;
}

/** The share of the character n-gram model in the combined vote. */
export const NGRAM_WEIGHT = { value: 0.5 };
export const AGREEMENT = { value: true };
const ngramsOf = (m: NgramModel, language: Language, text: string) => m.classify(language, text);

const ROUTE_LABEL = (route: string) => `route:${route}`;

export class Classifier {
  private constructor(
    private readonly detector: LanguageDetector,
    private readonly model: IntentModel,
    private readonly optout: KeywordMatcher,
    private readonly optin: KeywordMatcher,
    private readonly names: Set<string>,
    private readonly gate: PersonalGate,
    private readonly ngrams: NgramModel,
    private readonly answerThreshold: Record<Language, number>,
    private readonly emergency: EmergencyWords,
  ) {}

  /**
   * Trains on the knowledge base's examples. `answerThreshold` replaces the calibrated answer
   * bars (the calibration itself classifies with every bar at 0 and applies each candidate after).
   */
  static async create(kb: KnowledgeBase, options: { answerThreshold?: Record<Language, number> } = {}): Promise<Classifier> {
    const examples: TrainingExample[] = [];
    for (const [id, entry] of kb.answers) {
      for (const language of SUPPORTED_LANGUAGES) {
        for (const text of entry.examples[language]) examples.push({ language, text, label: id });
      }
    }
    for (const [route, entry] of kb.routes) {
      for (const language of SUPPORTED_LANGUAGES) {
        for (const text of entry.examples[language]) examples.push({ language, text, label: ROUTE_LABEL(route) });
      }
    }
    const detector = new LanguageDetector(buildVocabulary(examples.map((e) => [e.language, e.text])));
    const model = await IntentModel.train(examples);
    const gate = new PersonalGate(gateExamples(examples));
    const ngrams = NgramModel.train(examples);
    return new Classifier(detector, model, new KeywordMatcher(kb.keywords.optout, kb.keywords.polite), new KeywordMatcher(kb.keywords.optin, kb.keywords.polite), learnNames(examples, answerTexts(kb)), gate, ngrams, options.answerThreshold ?? kb.answerThreshold, new EmergencyWords(kb.keywords.emergency));
  }

  detectLanguage(text: string): LanguageGuess {
    return this.detector.detect(text);
  }

  /**
   * Routes one message. `preferred` (the parent's known language) only breaks ties, e.g.
   * for "STOP", which is a keyword in several languages.
   */
  async classify(text: string, preferred?: Language): Promise<Classification> {
    const guess = this.detector.detect(text);
    const base = { text, languageConfidence: guess.confidence, requestedLanguage: null };
    if (text.trim() === '') {
      return { ...base, language: preferred ?? guess.language, route: 'forward', intent: null, confidence: 1, basis: 'empty' };
    }

    for (const [route, matcher] of [['optout', this.optout], ['optin', this.optin]] as const) {
      const langs = matcher.match(text);
      if (langs.length > 0) {
        // "STOP" is a keyword in every language: the parent's own language decides, then a
        // clear detection, then the detected language if the keyword or a politeness word
        // narrowed the choice ("stop pls"), then Dutch, the language every school starts from.
        const clear = guess.confidence >= THRESHOLDS.clearLanguage ? guess.language : undefined;
        const language = [preferred, clear, langs.length < SUPPORTED_LANGUAGES.length ? guess.language : undefined, BASE_LANGUAGE, guess.language]
          .find((l) => l && langs.includes(l)) ?? langs[0]!;
        return { ...base, language, route, intent: null, confidence: 1, basis: 'keyword' };
      }
    }

    if (isOnlyLanguageName(text)) {
      const asked = requestedLanguage(text);
      if (asked) {
        return { ...base, language: asked, route: 'language', intent: null, confidence: 1, requestedLanguage: asked, basis: 'language-name' };
      }
    }

    const language = guess.language;
    let ranked = await this.rank(language, text);
    // An unsure detection: also ask the runner-up language's model and keep the surer answer.
    const runnerUp = guess.ranked[1]?.language;
    if (guess.confidence < THRESHOLDS.clearLanguage && runnerUp) {
      const other = await this.rank(runnerUp, text);
      if (topScore(other) > topScore(ranked)) ranked = other;
    }
    const decision = { ...decide(ranked, text, this.answerThreshold[language]), topic: nearestIntent(ranked) };
    // A message for a person that names an emergency ("vermist", "politie") is urgent, even
    // when the models took it for an ordinary question about the child.
    if ((decision.route === 'forward' || decision.route === 'absence') && this.emergency.find(language, text)) {
      return { ...base, language, ...decision, route: 'urgent', intent: null, basis: 'emergency-word' };
    }
    if (decision.route === 'answer') {
      if (this.gate.personalProbability(language, text) >= THRESHOLDS.personal) {
        return { ...base, language, ...decision, route: 'forward', intent: null, basis: 'about-one-child' };
      }
    }
    // A general question almost never names a person; "Krijgt Finn havo advies?" is about one
    // child and goes to a person, however close it is to a general intent.
    if (decision.route === 'answer' && this.namesAPerson(text)) {
      return { ...base, language, ...decision, route: 'forward', intent: null, basis: 'names-a-person' };
    }
    return { ...base, language, ...decision };
  }

  /**
   * Both intent models' votes, averaged. NLP.js (stemmed words) decides alone whether any
   * word is known at all: a message of only unknown words goes to a person.
   */
  private async rank(language: Language, text: string): Promise<Scored[]> {
    const words = await this.model.classify(language, text);
    if (words[0]?.label === 'None') return words;
    const combined = new Map<string, number>();
    for (const { label, score } of words) combined.set(label, score * (1 - NGRAM_WEIGHT.value));
    for (const { label, score } of ngramsOf(this.ngrams, language, text)) combined.set(label, (combined.get(label) ?? 0) + score * NGRAM_WEIGHT.value);
    const ngrams = this.ngrams.classify(language, text);
    // Two models that agree are surer than their average: keep the more confident vote.
    if (AGREEMENT.value && ngrams[0] && ngrams[0].label === words[0]?.label) {
      combined.set(ngrams[0].label, Math.max(ngrams[0].score, words[0].score));
    }
    return [...combined].map(([label, score]) => ({ label, score })).sort((a, b) => b.score - a.score);
  }

  /**
   * Whether the message names a person: a first name our examples only ever use for one
   * child ("Mehmet okulda odevlerini yapiyor mu", "czy szymon oddal"), or a capitalised
   * word inside a sentence that none of our examples use (so not a school term such as
   * Parro or groep): most likely a child's or teacher's name.
   */
  private namesAPerson(text: string): boolean {
    for (const sentence of text.split(/[.!?؟\n]+/u)) {
      const words = sentence.trim().split(/\s+/u);
      for (const [index, word] of words.entries()) {
        const bare = word.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
        const normalized = normalizeText(bare);
        if (this.names.has(normalized)) return true;
        if (index === 0 || !/^\p{Lu}\p{Ll}{2,}$/u.test(bare)) continue;
        if (!this.detector.knows(normalized) && !isLanguageNameWord(normalized)) return true;
      }
    }
    return false;
  }
}

/**
 * First names, learned from the examples: words that are only ever written capitalised,
 * only in messages about one child (forward, absence, urgent), never in a general question
 * and never in lower case inside a sentence. "Marokko" is capitalised too, but general
 * questions use it; "Vandaag" opens a report, but "vandaag" appears inside others.
 */
export function learnNames(examples: TrainingExample[], generalTexts: Iterable<string> = []): Set<string> {
  const capitalised = new Set<string>();
  const elsewhere = new Set<string>();
  for (const text of generalTexts) for (const word of tokens(text)) elsewhere.add(word);
  for (const { text, label } of examples) {
    const personal = label === ROUTE_LABEL('forward') || label === ROUTE_LABEL('absence') || label === ROUTE_LABEL('urgent');
    for (const sentence of text.split(/[.!?؟\n]+/u)) {
      for (const [index, word] of sentence.trim().split(/\s+/u).entries()) {
        const bare = word.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
        const normalized = normalizeText(bare);
        if (!normalized) continue;
        const capital = /^\p{Lu}\p{Ll}{2,}$/u.test(bare);
        if (personal && capital) capitalised.add(normalized);
        else if (!personal || index > 0) elsewhere.add(normalized);
      }
    }
  }
  const calendar = calendarWords();
  return new Set([...capitalised].filter((w) => !elsewhere.has(w) && !isLanguageNameWord(w) && !calendar.has(w)));
}

/** Every curated answer text: no child's name appears in them. */
function* answerTexts(kb: KnowledgeBase): Iterable<string> {
  for (const entry of kb.answers.values()) {
    for (const language of SUPPORTED_LANGUAGES) {
      const answer = entry.answer[language];
      if (!answer) continue;
      yield answer.text;
      if (answer.more) yield answer.more;
    }
  }
}

/** Weekday and month names in every language we serve ("Friday" is capitalised but no name). */
function calendarWords(): Set<string> {
  const words = new Set<string>();
  for (const language of SUPPORTED_LANGUAGES) {
    for (const [options, dates] of [
      [{ weekday: 'long' }, Array.from({ length: 7 }, (_, d) => new Date(Date.UTC(2026, 0, 5 + d)))],
      [{ month: 'long' }, Array.from({ length: 12 }, (_, m) => new Date(Date.UTC(2026, m, 15)))],
    ] as const) {
      const format = new Intl.DateTimeFormat(language, { ...options, timeZone: 'UTC' });
      for (const date of dates) for (const word of tokens(format.format(date))) words.add(word);
    }
  }
  return words;
}

/**
 * The examples for the second opinion on `answer`: every general question against every
 * question about one particular child. The forward examples hold a personal twin of each
 * intent ("when do reports come" / "how are my son's grades").
 */
function gateExamples(examples: TrainingExample[]) {
  return examples.flatMap((e) => {
    if (e.label === ROUTE_LABEL('forward')) return [{ language: e.language, text: e.text, personal: true }];
    if (!e.label.startsWith('route:')) return [{ language: e.language, text: e.text, personal: false }];
    return [];
  });
}

/** The best catalogue intent among the votes (route labels and None left out). */
function nearestIntent(ranked: Scored[]): string | null {
  return ranked.find((r) => r.label !== 'None' && !r.label.startsWith('route:'))?.label ?? null;
}

function topScore(ranked: Scored[]): number {
  const top = ranked[0];
  return !top || top.label === 'None' ? 0 : top.score;
}

function decide(ranked: Scored[], text: string, answerThreshold: number): Pick<Classification, 'route' | 'intent' | 'confidence' | 'requestedLanguage' | 'basis'> {
  const top = ranked[0];
  if (!top || top.label === 'None') {
    return { route: 'forward', intent: null, confidence: 0, requestedLanguage: null, basis: 'unknown-words' };
  }
  const confidence = Math.round(top.score * 1000) / 1000;
  const urgent = ranked.find((r) => r.label === ROUTE_LABEL('urgent'));
  if (urgent && urgent.score >= THRESHOLDS.urgent) {
    return { route: 'urgent', intent: null, confidence: Math.round(urgent.score * 1000) / 1000, requestedLanguage: null, basis: 'model' };
  }
  const below = { route: 'forward' as const, intent: null, confidence, requestedLanguage: null, basis: 'below-threshold' as const };
  switch (top.label) {
    case ROUTE_LABEL('forward'):
      return { route: 'forward', intent: null, confidence, requestedLanguage: null, basis: 'model' };
    case ROUTE_LABEL('absence'):
      return top.score >= THRESHOLDS.absence ? { route: 'absence', intent: null, confidence, requestedLanguage: null, basis: 'model' } : below;
    case ROUTE_LABEL('language'):
      return top.score >= THRESHOLDS.language
        ? { route: 'language', intent: null, confidence, requestedLanguage: requestedLanguage(text), basis: 'model' }
        : below;
    default:
      return top.score >= answerThreshold ? { route: 'answer', intent: top.label, confidence, requestedLanguage: null, basis: 'model' } : below;
  }
}
