import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KnowledgeBaseError } from '../src/knowledge/errors.js';
import { loadKnowledgeBase } from '../src/knowledge/load.js';
import { fillPlaceholders, fitToChannel, type SchoolDetails } from '../src/knowledge/render.js';
import { SCHOOL_PLACEHOLDERS } from '../src/knowledge/schema.js';
import { encodingOf, segmentCount } from '../src/knowledge/smsFit.js';
import { fallbackChain, pickTranslation } from '../src/language/languages.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A copy of the real intents/ and locales/ that a test may break. */
function copyKnowledge() {
  const dir = mkdtempSync(path.join(tmpdir(), 'ouderlijn-kb-'));
  dirs.push(dir);
  cpSync('intents', path.join(dir, 'intents'), { recursive: true });
  cpSync('locales', path.join(dir, 'locales'), { recursive: true });
  return { intentsDir: path.join(dir, 'intents'), localesDir: path.join(dir, 'locales') };
}

function edit(file: string, change: (text: string) => string) {
  writeFileSync(file, change(readFileSync(file, 'utf8')));
}

function problemsOf(paths: ReturnType<typeof copyKnowledge>) {
  try {
    loadKnowledgeBase(paths);
  } catch (err) {
    expect(err).toBeInstanceOf(KnowledgeBaseError);
    return (err as KnowledgeBaseError).problems;
  }
  throw new Error('expected the knowledge base to be refused');
}

const kb = loadKnowledgeBase();
const answerFile = (p: ReturnType<typeof copyKnowledge>) => path.join(p.intentsDir, 'answers', 'parent_contribution.yaml');

describe('knowledge-base validation names the file, the path and the reason', () => {
  it('accepts the real knowledge base', () => {
    expect(kb.answers.size).toBeGreaterThan(5);
    expect([...kb.routes.keys()].sort()).toEqual(['absence', 'forward', 'language', 'urgent']);
  });

  it.each([
    ['a YAML syntax error', (t: string) => t.replace('answer:', 'answer: [unclosed'), /line \d+/, /./],
    ['a missing language', (t: string) => t.replace(/\n  tr:\n    text:/, '\n  xx:\n    text:'), /^answer\./, /tr|xx|Unrecognized|expected/i],
    ['an unknown placeholder', (t: string) => t.replace(/(\n  nl:\n    text: [>|]-?\n\s+)/, '$1{school.iban} '), /^answer\.nl\.text$/, /unknown placeholder \{school\.iban\}/],
    ['an id that is not the file name', (t: string) => t.replace(/^id: .*/m, 'id: parent_contributions'), /^id$/, /must equal the file name/],
    ['an empty example', (t: string) => t.replace(/(\n  nl:\n    - )/, '$1""\n    - '), /^examples\.nl\.\d+$/, /must not be empty/],
  ])('refuses %s', (_label, change, pathPattern, reasonPattern) => {
    const paths = copyKnowledge();
    edit(answerFile(paths), change);
    const problems = problemsOf(paths);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]!.file).toMatch(/parent_contribution\.yaml$/);
    expect(problems[0]!.path).toMatch(pathPattern);
    expect(problems[0]!.reason).toMatch(reasonPattern);
  });

  it('refuses a locale with broken ICU syntax', () => {
    const paths = copyKnowledge();
    edit(path.join(paths.localesDir, 'pl.yaml'), (t) => t.replace(/^more\.hint:[\s\S]*?(?=^\S)/m, 'more.hint: "Wyślij {count, plural, one {#}"\n'));
    const problems = problemsOf(paths);
    expect(problems).toContainEqual(expect.objectContaining({ file: expect.stringMatching(/pl\.yaml$/), path: 'more.hint', reason: expect.stringMatching(/ICU/) }));
  });

  it('refuses a Dutch locale that lacks a key the code uses', () => {
    const paths = copyKnowledge();
    edit(path.join(paths.localesDir, 'nl.yaml'), (t) => t.replace(/^ack\.urgent:[\s\S]*?(?=^optout)/m, ''));
    expect(problemsOf(paths)).toContainEqual(expect.objectContaining({ path: 'ack.urgent', reason: expect.stringMatching(/Dutch is the base/) }));
  });

  it('collects problems from several files at once', () => {
    const paths = copyKnowledge();
    edit(answerFile(paths), (t) => t.replace(/^id: .*/m, 'id: wrong'));
    edit(path.join(paths.intentsDir, 'routes', 'optout.yaml'), (t) => t.replace('keywords:', 'keywordz:'));
    const files = new Set(problemsOf(paths).map((p) => path.basename(p.file)));
    expect(files).toEqual(new Set(['parent_contribution.yaml', 'optout.yaml']));
  });
});

describe('translations: one fallback order, guardian -> school default -> Dutch', () => {
  it('builds the chain without duplicates or unsupported languages', () => {
    expect(fallbackChain('tr', 'en')).toEqual(['tr', 'en', 'nl']);
    expect(fallbackChain('xx', null, 'nl')).toEqual(['nl']);
    expect(fallbackChain(undefined, 'fr')).toEqual(['fr', 'nl']);
  });
  it('picks the first language the map has, else Dutch', () => {
    expect(pickTranslation({ nl: 'hallo', en: 'hello' }, fallbackChain('tr', 'en'))).toEqual({ language: 'en', value: 'hello' });
    expect(pickTranslation({ nl: 'hallo' }, fallbackChain('ar', 'pl'))).toEqual({ language: 'nl', value: 'hallo' });
  });
  it('formats plurals by each language’s own rules', () => {
    const pl = (n: number) => kb.locales.format('more.hint', ['pl'], { count: n }).text;
    expect(new Set([pl(1), pl(2), pl(5)]).size).toBe(3); // one / few / many differ in Polish
    const ar = (n: number) => kb.locales.format('more.hint', ['ar'], { count: n }).text;
    expect(ar(2)).not.toBe(ar(3));
  });
});

describe('filling answers for the channel', () => {
  const details = Object.fromEntries(SCHOOL_PLACEHOLDERS.map((p) => [p, null])) as SchoolDetails;
  const filled = { ...details, name: 'De Regenboog', phone: '020 555 0100', absenceCutoff: '08:15' };

  it('says to ask the school when a detail is missing', () => {
    expect(fillPlaceholders('Het bedrag is {school.parentContribution}.', filled, 'nl', kb.locales)).toBe('Het bedrag is vraag het de school (020 555 0100).');
    expect(fillPlaceholders('Bel {school.phone}.', details, 'en', kb.locales)).toBe('Bel please ask the school.');
  });

  it('keeps Latin values in order inside Arabic text', () => {
    const text = fillPlaceholders('اتصلوا بالرقم {school.phone}.', filled, 'ar', kb.locales);
    expect(text).toBe('اتصلوا بالرقم \u200E020 555 0100\u200E.');
  });

  it.each(['nl', 'tr', 'ar', 'uk'] as const)('fits the first SMS in 3 segments and continues with MORE (%s)', (lang) => {
    const long = Array.from({ length: 12 }, (_, i) => `${lang === 'ar' ? 'جملة' : lang === 'uk' ? 'Речення' : lang === 'tr' ? 'Cümle' : 'Zin'} ${i + 1} met wat extra tekst erbij.`).join(' ');
    const parts = fitToChannel(long, 'Meer detail.', 'sms', lang, kb.locales);
    expect(segmentCount(parts.first)).toBeLessThanOrEqual(3);
    expect(parts.rest.length).toBeGreaterThan(0);
    for (const p of parts.rest) expect(segmentCount(p)).toBeLessThanOrEqual(3);
    const moreWord = kb.keywords.more[lang][0]!;
    expect(parts.first.toUpperCase()).toContain(moreWord.toUpperCase());
    expect(parts.rest.at(-1)).not.toContain(moreWord); // the last part announces nothing more
  });

  it('keeps GSM-7 text in GSM-7 and sends WhatsApp answers whole', () => {
    const parts = fitToChannel('Kort antwoord.', 'Nog wat uitleg.', 'sms', 'nl', kb.locales);
    expect(encodingOf(parts.first)).toBe('GSM-7');
    expect(fitToChannel('Kort antwoord.', 'Nog wat uitleg.', 'whatsapp', 'nl', kb.locales)).toEqual({ first: 'Kort antwoord.\n\nNog wat uitleg.', rest: [] });
  });
});
