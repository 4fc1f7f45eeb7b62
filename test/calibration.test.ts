import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cheapestBar, chooseBar, MIN_SAVING, outcomeAt, WRONG_ANSWER_COST, type HeldOut } from '../src/classification/calibration.js';
import { Classifier } from '../src/classification/classifier.js';
import { KnowledgeBaseError } from '../src/knowledge/errors.js';
import { DEFAULT_ANSWER_THRESHOLD, loadKnowledgeBase } from '../src/knowledge/load.js';
import { SUPPORTED_LANGUAGES } from '../src/language/languages.js';
import { sharedClassifier } from './helpers/runtime.js';

/** Held-out examples: a general question (its intent), or a message for a person (null). */
const general = (score: number, answered = 'school_hours'): HeldOut => ({ language: 'nl', expectedIntent: 'school_hours', answeredIntent: answered, score });
const personal = (score: number): HeldOut => ({ language: 'nl', expectedIntent: null, answeredIntent: 'school_hours', score });
const routedElsewhere = (): HeldOut => ({ language: 'nl', expectedIntent: null, answeredIntent: null, score: 0 });

describe('the cost of an answer bar on held-out examples', () => {
  it.each([
    ['a right answer costs nothing', [general(0.7)], 0.6, { answeredRight: 1, cost: 0 }],
    ['a general question under the bar waits for a person: 1', [general(0.5)], 0.6, { forwarded: 1, cost: 1 }],
    ['a wrong intent costs a wrong answer', [general(0.9, 'holidays')], 0.6, { answeredWrong: 1, cost: WRONG_ANSWER_COST }],
    ['a message for a person answered costs a wrong answer', [personal(0.8)], 0.6, { unsafe: 1, cost: WRONG_ANSWER_COST }],
    ['a message for a person under the bar costs nothing', [personal(0.5)], 0.6, { unsafe: 0, cost: 0 }],
    ['a message routed elsewhere (absence, urgent) costs nothing at any bar', [routedElsewhere()], 0.4, { unsafe: 0, cost: 0 }],
  ] as const)('%s', (_label, examples, bar, expected) => {
    expect(outcomeAt(bar, [...examples])).toMatchObject(expected);
  });
});

describe('choosing a language\'s bar', () => {
  it('raises the bar when that keeps wrong answers out at the price of fewer right ones', () => {
    // 10 right answers at 0.78; 10 unsafe ones at 0.65: at 0.6 they cost 30, at 0.7 and 0.75
    // nothing (the higher wins the tie), at 0.8 the right ones wait for a person.
    const examples = [...Array.from({ length: 10 }, () => general(0.78)), ...Array.from({ length: 10 }, () => personal(0.65))];
    expect(chooseBar(examples).bar).toBe(0.75);
  });

  it('lowers the bar when right answers sit just under it and nothing wrong does', () => {
    const examples = [...Array.from({ length: 10 }, () => general(0.52)), personal(0.3)];
    expect(chooseBar(examples).bar).toBe(0.5);
  });

  it('keeps the default when another bar would save less than the minimum share of the cost', () => {
    // At 0.6: 100 forwarded (cost 100). At 0.55 one fewer is forwarded (cost 99): a 1% saving.
    const examples = [general(0.57), ...Array.from({ length: 99 }, () => general(0.2))];
    expect(MIN_SAVING).toBeGreaterThan(0.01);
    expect(chooseBar(examples).bar).toBe(DEFAULT_ANSWER_THRESHOLD);
  });

  it('takes the higher, safer bar on a tie', () => {
    // Nothing scores between 0.5 and 0.7: both bars cost the same.
    expect(cheapestBar([general(0.9), general(0.1), personal(0.2)], [0.5, 0.7]).bar).toBe(0.7);
    expect(cheapestBar([general(0.9), general(0.1), personal(0.2)], [0.7, 0.5]).bar).toBe(0.7);
  });
});

describe('intents/calibration.yaml', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  function copyKnowledge() {
    const dir = mkdtempSync(path.join(tmpdir(), 'ouderlijn-calibration-'));
    dirs.push(dir);
    cpSync('intents', path.join(dir, 'intents'), { recursive: true });
    cpSync('locales', path.join(dir, 'locales'), { recursive: true });
    return { intentsDir: path.join(dir, 'intents'), localesDir: path.join(dir, 'locales') };
  }

  it('gives every language a bar within the allowed range', () => {
    const kb = loadKnowledgeBase();
    for (const language of SUPPORTED_LANGUAGES) {
      expect(kb.answerThreshold[language]).toBeGreaterThanOrEqual(0.4);
      expect(kb.answerThreshold[language]).toBeLessThanOrEqual(0.9);
    }
  });

  it('without the file, every language has the default bar', () => {
    const paths = copyKnowledge();
    rmSync(path.join(paths.intentsDir, 'calibration.yaml'));
    expect(new Set(Object.values(loadKnowledgeBase(paths).answerThreshold))).toEqual(new Set([DEFAULT_ANSWER_THRESHOLD]));
  });

  it.each([
    ['a bar too low', 'answerThreshold: { nl: 0.2, en: 0.6, tr: 0.6, ar: 0.6, pl: 0.6, uk: 0.6, fr: 0.6, es: 0.6 }\n', /^answerThreshold\.nl$/, /at least 0\.4/],
    ['a language missing', 'answerThreshold: { nl: 0.6, en: 0.6, tr: 0.6, pl: 0.6, uk: 0.6, fr: 0.6, es: 0.6 }\n', /^answerThreshold(\.ar)?$/, /./],
    ['a bar that is not a number', 'answerThreshold: { nl: high, en: 0.6, tr: 0.6, ar: 0.6, pl: 0.6, uk: 0.6, fr: 0.6, es: 0.6 }\n', /^answerThreshold\.nl$/, /number/i],
  ])('refuses %s, naming the file and the field', (_label, text, field, reason) => {
    const paths = copyKnowledge();
    writeFileSync(path.join(paths.intentsDir, 'calibration.yaml'), text);
    let problems: KnowledgeBaseError['problems'] = [];
    try {
      loadKnowledgeBase(paths);
    } catch (err) {
      expect(err).toBeInstanceOf(KnowledgeBaseError);
      problems = (err as KnowledgeBaseError).problems;
    }
    expect(problems).toHaveLength(1);
    expect(problems[0]!.file).toMatch(/calibration\.yaml$/);
    expect(problems[0]!.path).toMatch(field);
    expect(problems[0]!.reason).toMatch(reason);
  });
});

describe('the classifier answers by its language\'s bar', () => {
  it('forwards a Dutch question that scores under the Dutch bar, and leaves other languages alone', async () => {
    const { kb, classifier } = await sharedClassifier();
    const nl = await classifier.classify('Hoe laat gaat de school morgen uit?');
    const en = await classifier.classify('What time does school finish tomorrow?');
    expect([nl.route, en.route]).toEqual(['answer', 'answer']);
    // Just above this question's score, for Dutch only.
    const strict = await Classifier.create(kb, { answerThreshold: { ...kb.answerThreshold, nl: nl.confidence + 0.001 } });
    expect(await strict.classify(nl.text)).toMatchObject({ route: 'forward', basis: 'below-threshold', topic: nl.intent });
    expect(await strict.classify(en.text)).toMatchObject({ route: 'answer', intent: en.intent });
  }, 120_000);
});
