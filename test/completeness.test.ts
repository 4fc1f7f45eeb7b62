import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeText } from '../src/classification/normalize.js';
import type { Db } from '../src/db/client.js';
import { seedDemoSchool } from '../src/demo/seed.js';
import { schoolDetails } from '../src/directory/schools.js';
import { CATALOGUE_INTENTS, MIN_EXAMPLES_PER_LANGUAGE } from '../src/knowledge/catalogue.js';
import { loadKnowledgeBase } from '../src/knowledge/load.js';
import { LOCALE_KEYS } from '../src/knowledge/locales.js';
import { fillPlaceholders, fitToChannel, type SchoolDetails } from '../src/knowledge/render.js';
import { SCHOOL_PLACEHOLDERS } from '../src/knowledge/schema.js';
import { SMS_SEGMENT_BUDGET, segmentCount } from '../src/knowledge/smsFit.js';
import { SUPPORTED_LANGUAGES, withDirection } from '../src/language/languages.js';
import { createTestDb } from './helpers/db.js';

/**
 * Issue 3, item 7: the knowledge base is complete in all eight languages. These tests read
 * the real content, so a new intent or language that is half-written fails here, naming
 * what is missing.
 */
const kb = loadKnowledgeBase();
const intentsMd = path.resolve('..', 'shared', 'domain', 'INTENTS.md');

describe('every intent of the routing contract has an answer and examples in every language', () => {
  it.skipIf(!existsSync(intentsMd))('lists exactly the intent ids of INTENTS.md', () => {
    const table = readFileSync(intentsMd, 'utf8').split('## Intents')[1]!.split('## The classify command')[0]!;
    const ids = [...table.matchAll(/^\| `([a-z._]+)` \|/gm)].map((m) => m[1]);
    expect([...CATALOGUE_INTENTS].sort()).toEqual(ids.sort());
  });

  it.each([...CATALOGUE_INTENTS])('%s', (id) => {
    const entry = kb.answers.get(id);
    expect(entry, `intents/answers/${id}.yaml`).toBeDefined();
    const short = SUPPORTED_LANGUAGES.filter((l) => entry!.examples[l].length < MIN_EXAMPLES_PER_LANGUAGE)
      .map((l) => `${l}: ${entry!.examples[l].length}`);
    expect(short, `languages with fewer than ${MIN_EXAMPLES_PER_LANGUAGE} examples`).toEqual([]);
    for (const language of SUPPORTED_LANGUAGES) expect(entry!.answer[language].text.trim()).not.toBe('');
  });

  it.each(['absence', 'forward', 'urgent', 'language'] as const)('route %s has examples in every language', (route) => {
    const entry = kb.routes.get(route)!;
    const short = SUPPORTED_LANGUAGES.filter((l) => entry.examples[l].length < MIN_EXAMPLES_PER_LANGUAGE);
    expect(short).toEqual([]);
  });

  it.each(['optout', 'optin', 'more'] as const)('keyword list %s has words in every language', (list) => {
    expect(SUPPORTED_LANGUAGES.filter((l) => kb.keywords[list][l].length === 0)).toEqual([]);
  });

  it('never teaches the classifier one message under two labels', () => {
    const labelOf = new Map<string, string>();
    const clashes: string[] = [];
    const teach = (language: string, text: string, label: string) => {
      const key = `${language}:${normalizeText(text)}`;
      const earlier = labelOf.get(key);
      if (earlier && earlier !== label) clashes.push(`${key} (${earlier} / ${label})`);
      labelOf.set(key, label);
    };
    for (const [id, entry] of kb.answers) for (const l of SUPPORTED_LANGUAGES) for (const t of entry.examples[l]) teach(l, t, id);
    for (const [route, entry] of kb.routes) for (const l of SUPPORTED_LANGUAGES) for (const t of entry.examples[l]) teach(l, t, route);
    expect(clashes, clashes.join('\n')).toEqual([]);
  });
});

describe('every UI string exists in every language', () => {
  it.each([...SUPPORTED_LANGUAGES])('%s', (language) => {
    expect(LOCALE_KEYS.filter((key) => !kb.locales.has(key, language))).toEqual([]);
  });
});

describe('answers as the demo school sends them', () => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let details: SchoolDetails;

  beforeAll(async () => {
    ({ db, cleanup } = await createTestDb());
    await seedDemoSchool(db, pino({ level: 'silent' }));
    details = await schoolDetails(db, (await db.school.findFirstOrThrow())!);
  });
  afterAll(() => cleanup());

  it('has every school detail the answers can ask for', () => {
    expect(SCHOOL_PLACEHOLDERS.filter((p) => !details[p]?.trim())).toEqual([]);
  });

  const cases = [...CATALOGUE_INTENTS].flatMap((id) => SUPPORTED_LANGUAGES.map((language) => [id, language] as const));
  it.each(cases)('%s in %s: placeholders filled, first SMS within budget and ending at a sentence end', (id, language) => {
    const answer = kb.answers.get(id)!.answer[language];
    const text = fillPlaceholders(answer.text, details, language, kb.locales);
    const more = answer.more ? fillPlaceholders(answer.more, details, language, kb.locales) : undefined;
    for (const filled of [text, more ?? '']) {
      expect(filled).not.toMatch(/\{[^}]*\}/);
      expect(filled).not.toContain(kb.locales.format('detail.missing', [language]).text);
    }
    const sms = fitToChannel(text, more, 'sms', language, kb.locales);
    expect(segmentCount(sms.first)).toBeLessThanOrEqual(SMS_SEGMENT_BUDGET);
    for (const part of sms.rest) expect(segmentCount(part)).toBeLessThanOrEqual(SMS_SEGMENT_BUDGET);
    // The first SMS opens the answer and ends at the end of a sentence, never mid-sentence.
    const hint = sms.rest.length > 0 ? ` ${kb.locales.format('more.hint', [language], { count: sms.rest.length }).text}` : '';
    const opening = withDirection(sms.first, language).slice(language === 'ar' ? 1 : 0, sms.first.length - hint.length);
    expect(text.replace(/\s+/g, ' ').startsWith(opening.replace(/\s+/g, ' '))).toBe(true);
    if (sms.rest.length > 0) expect(opening, sms.first).toMatch(/(?:[.!?؟:)]|https?:\/\/\S+)$/u);
  });
});
