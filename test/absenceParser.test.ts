import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadAbsenceLexicons, REASONS } from '../src/absence/lexicon.js';
import { parseAbsence } from '../src/absence/parse.js';
import { SUPPORTED_LANGUAGES } from '../src/language/languages.js';

/**
 * The absence report parser, table-driven: test/fixtures/absence-cases/<lang>.yaml holds
 * what a parent writes and what the school must record. Each file names the guardian's
 * children; a case may override them and the moment the message arrives (school time).
 */
const Iso = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const Case = z.strictObject({
  say: z.string(),
  now: z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/).default('2026-11-23 07:40'),
  children: z.array(z.string()).optional(),
  expect: z.strictObject({
    children: z.array(z.string()),
    all: z.boolean().default(false),
    start: Iso,
    end: Iso,
    part: z.enum(['whole', 'morning', 'afternoon', 'until', 'from']).default('whole'),
    time: z.string().regex(/^\d{2}:\d{2}$/).nullable().default(null),
    reason: z.enum(REASONS),
    nonSchool: z.array(Iso).default([]),
    correction: z.boolean().default(false),
  }),
});
const CaseFile = z.strictObject({ children: z.array(z.string()).min(1), cases: z.array(Case).min(20) });

const lexicons = loadAbsenceLexicons();

/** "Lina (Lientje, Lien)" -> a child with nicknames. */
function child(spec: string) {
  const m = /^([^(]+?)\s*(?:\((.*)\))?$/.exec(spec.trim())!;
  const first = m[1]!.trim();
  return { id: first, firstName: first, nicknames: (m[2] ?? '').split(',').map((s) => s.trim()).filter(Boolean) };
}

describe.each(SUPPORTED_LANGUAGES)('absence reports in %s', (language) => {
  const file = path.join('test', 'fixtures', 'absence-cases', `${language}.yaml`);
  if (!existsSync(file)) {
    it('has a case file', () => expect.fail(`${file} is missing`));
    return;
  }
  const data = CaseFile.parse(YAML.parse(readFileSync(file, 'utf8')));
  it.each(data.cases.map((c) => [c.say, c] as const))('%s', (_say, c) => {
    const [today, time] = c.now.split(' ') as [string, string];
    const parsed = parseAbsence(c.say, {
      lexicon: lexicons[language], today, time, schoolEnds: '14:30',
      children: (c.children ?? data.children).map(child),
    });
    expect({
      children: parsed.childIds, all: parsed.allChildren, start: parsed.start, end: parsed.end, part: parsed.dayPart,
      time: parsed.time, reason: parsed.reason, nonSchool: parsed.nonSchoolDays, correction: parsed.correction,
    }).toEqual(c.expect);
  });
});
