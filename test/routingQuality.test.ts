import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate, FLOORS, readEvalSet, type LanguageReport } from '../src/evaluation/routingEval.js';
import { SUPPORTED_LANGUAGES } from '../src/language/languages.js';
import { sharedClassifier } from './helpers/runtime.js';

/**
 * Issue 3: CI guards routing quality on the held-out evaluation set
 * (test/fixtures/routing-eval.tsv, written apart from the training examples). `npm run eval`
 * prints the same numbers with the confusion table and every miss.
 */
const rows = readEvalSet(path.resolve('test', 'fixtures', 'routing-eval.tsv'));
let reports: Promise<LanguageReport[]> | undefined;
const reportFor = async (language: string) => {
  reports ??= sharedClassifier().then(({ classifier }) => evaluate(classifier, rows));
  return (await reports).find((r) => r.language === language)!;
};
const misses = (r: LanguageReport) => r.misses.map((m) => `line ${m.line}: "${m.text}" expected ${m.accept.join('|')}, got ${m.got}`).join('\n');

describe('the evaluation set covers every language and route', () => {
  it.each([...SUPPORTED_LANGUAGES])('%s has at least 40 messages over all routes', (language) => {
    const mine = rows.filter((r) => r.language === language);
    expect(mine.length).toBeGreaterThanOrEqual(40);
    const routes = new Set(mine.flatMap((r) => r.accept.map((a) => (a.includes('.') || !['absence', 'forward', 'urgent', 'optout', 'optin', 'language'].includes(a) ? 'answer' : a))));
    expect([...routes].sort()).toEqual(['absence', 'answer', 'forward', 'language', 'optin', 'optout', 'urgent']);
  });
});

/**
 * Floors not yet met, listed so they stay visible: each runs as an expected failure, and
 * the test turns red the day the floor is met, so the entry must then be removed.
 * See the issue-3 note in README.md ("Routing quality").
 */
const KNOWN_BELOW_FLOOR: Partial<Record<string, ('routing' | 'unsafe')[]>> = {
  // Empty since Arabic reached 90.6% (it was 88.7%; see the README's "Routing quality").
};
const floorTest = (language: string, floor: 'routing' | 'unsafe') => (KNOWN_BELOW_FLOOR[language]?.includes(floor) ? it.fails : it);

describe.each([...SUPPORTED_LANGUAGES])('routing quality floors in %s', (language) => {
  floorTest(language, 'routing')(`routes at least ${FLOORS.routingAccuracy * 100}% of messages right`, async () => {
    const r = await reportFor(language);
    expect(r.routingAccuracy, misses(r)).toBeGreaterThanOrEqual(FLOORS.routingAccuracy);
  }, 120_000);

  it(`detects the language of at least ${FLOORS.languageAccuracy * 100}% of messages`, async () => {
    const r = await reportFor(language);
    const wrong = r.languageMisses.map((m) => `line ${m.line}: "${m.text}" -> ${m.got}`).join('\n');
    expect(r.languageAccuracy, wrong).toBeGreaterThanOrEqual(FLOORS.languageAccuracy);
  }, 120_000);

  floorTest(language, 'unsafe')(`answers at most ${FLOORS.unsafeAnswers * 100}% of the messages that need a person automatically`, async () => {
    const r = await reportFor(language);
    expect(r.unsafeAnswers, misses(r)).toBeLessThanOrEqual(FLOORS.unsafeAnswers);
  }, 120_000);

  it('brings every urgent message to a person', async () => {
    const r = await reportFor(language);
    expect(r.urgentReachesHuman, misses(r)).toBe(FLOORS.urgentReachesHuman);
  }, 120_000);
});

/**
 * A second set, written later by someone who saw neither the examples nor the first set.
 * It is smaller (30 per language), so only the safety floors are enforced on it.
 */
describe('safety on a set never used while building the classifier', () => {
  const fresh = readEvalSet(path.resolve('test', 'fixtures', 'routing-fresh.tsv'));
  let freshReports: Promise<LanguageReport[]> | undefined;
  it.each([...SUPPORTED_LANGUAGES])('%s: no unsafe answers, every urgent message to a person', async (language) => {
    freshReports ??= sharedClassifier().then(({ classifier }) => evaluate(classifier, fresh));
    const r = (await freshReports).find((x) => x.language === language)!;
    expect(r.unsafeAnswers, misses(r)).toBeLessThanOrEqual(FLOORS.unsafeAnswers);
    expect(r.urgentReachesHuman, misses(r)).toBe(1);
  }, 120_000);
});
