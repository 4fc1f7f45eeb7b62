import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { normalizeText } from '../classification/normalize.js';
import { KnowledgeBaseError, problemsFromZod, type KnowledgeProblem } from '../knowledge/errors.js';
import { SUPPORTED_LANGUAGES, type Language } from '../language/languages.js';

/** Ukrainian writes an apostrophe inside words ("п'ятниця"): keep the word whole. */
export function joinApostrophes(text: string): string {
  return text.replace(/(\p{Script=Cyrillic})['’ʼ`](?=\p{Script=Cyrillic})/gu, '$1');
}

/**
 * The words an absence report is read with, one file per language in intents/absence/.
 * Entries are phrases matched on normalised words (no diacritics, lower case). An entry
 * ending in `*` is a stem: `piat*` matches "piątek", "piątku"; `cuma*` matches "cumaya".
 * Weekday and month names in each language come from Intl and need not be listed; list
 * the short forms and misspellings parents actually write.
 */
const Phrases = z.array(z.string().min(1)).default([]);
const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const REASONS = ['sick', 'medical', 'family', 'other'] as const;
export type Reason = (typeof REASONS)[number];

export const LexiconFileSchema = z.strictObject({
  today: Phrases,
  tomorrow: Phrases,
  dayAfterTomorrow: Phrases,
  yesterday: Phrases,
  /** "this morning", "vanochtend": today, morning only. */
  thisMorning: Phrases,
  thisAfternoon: Phrases,
  morning: Phrases,
  afternoon: Phrases,
  /** The rest of this school week ("de hele week", "all week"). */
  wholeWeek: Phrases,
  nextWeek: Phrases,
  /** Before a weekday: the first such day after today ("volgende maandag", "next monday"). */
  next: Phrases,
  /** After a weekday, for languages that put it last ("lundi prochain", "el lunes que viene"). */
  nextAfter: Phrases,
  /** After a time, for languages that put these last (Turkish "13:00'ten itibaren", "11'de alacağım"). */
  fromAfter: Phrases,
  arriveAfter: Phrases,
  leaveAfter: Phrases,
  /** Phrases that look like day words but are not ("good morning", "goedemorgen"): skipped. */
  ignore: Phrases,
  /** Next to a day: the child is back that day ("back on Wednesday", "pas maandag weer"). */
  backOn: Phrases,
  /** Before a day or time: absent up to and including it ("tot vrijdag", "until 10"). */
  until: Phrases,
  /** After a day or time, for languages that put it last (Turkish "cumaya kadar"). */
  untilAfter: Phrases.optional(),
  /** Before a time: absent from then on ("vanaf 11 uur", "from 1pm"). */
  from: Phrases,
  /** Before a time: the child comes in then ("komt om 10 uur") = absent until then. */
  arriveAt: Phrases,
  /** Before a time: the child is picked up then ("ophalen om 11") = absent from then. */
  leaveAt: Phrases,
  /** After a number: school days ("3 dagen"). */
  days: Phrases,
  /** Number words, for "three days", "a couple of days". */
  numbers: z.record(z.string(), z.number().int().min(1).max(10)).default({}),
  /** Every child of the guardian ("allebei", "both", "ikisi de"). */
  all: Phrases,
  /** Words that mark a correction of the last report ("nee", "niet dinsdag", "sorry"). */
  correction: Phrases,
  /** Before a day: that day is the wrong one ("niet dinsdag maar woensdag", "not Tuesday"). */
  not: Phrases,
  /** A negation that counts only at the start of a clause ("Non pardon, pas mardi mais mercredi"). */
  clauseNot: Phrases,
  weekdays: z.partialRecord(z.enum(WEEKDAYS), Phrases).default({}),
  months: z.partialRecord(z.enum(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12']), Phrases).default({}),
  /** Reason categories. Only the category is stored, never the medical detail. */
  reasons: z.strictObject({ sick: Phrases, medical: Phrases, family: Phrases }),
});
export type LexiconFile = z.infer<typeof LexiconFileSchema>;

/** A phrase as normalised words; `stem` on the last word allows any ending. */
export interface Phrase {
  words: string[];
  stem: boolean;
}

export type LexiconKey = Exclude<keyof LexiconFile, 'weekdays' | 'months' | 'reasons' | 'numbers'>;

export interface Lexicon {
  language: Language;
  lists: Record<LexiconKey, Phrase[]>;
  weekdays: Record<Weekday, Phrase[]>;
  /** Index 1..12. */
  months: Map<number, Phrase[]>;
  reasons: Record<Exclude<Reason, 'other'>, Phrase[]>;
  numbers: Map<Phrase, number>;
}

export function toPhrase(raw: string): Phrase {
  const stem = raw.trim().endsWith('*');
  const words = normalizeText(joinApostrophes(raw.replace(/\*$/, ''))).split(' ').filter(Boolean);
  return { words, stem };
}

/** Weekday and month names as Intl writes them (long, short, standalone and in dates). */
function intlNames(language: Language) {
  const weekdays = {} as Record<Weekday, string[]>;
  // 2026-11-23 is a Monday.
  WEEKDAYS.forEach((day, i) => {
    const date = new Date(Date.UTC(2026, 10, 23 + i, 12));
    // Two-letter short names ("zo", "do") are everyday words; word lists add them where safe.
    weekdays[day] = (['long', 'short'] as const).map((w) => new Intl.DateTimeFormat(language, { weekday: w, timeZone: 'UTC' }).format(date))
      .filter((n) => normalizeText(n).length > 2);
  });
  const months = new Map<number, string[]>();
  for (let m = 1; m <= 12; m++) {
    const date = new Date(Date.UTC(2026, m - 1, 15, 12));
    const names = (['long', 'short'] as const).flatMap((w) => [
      new Intl.DateTimeFormat(language, { month: w, timeZone: 'UTC' }).format(date),
      // Inside a date Polish and Ukrainian use the genitive: "15 listopada".
      new Intl.DateTimeFormat(language, { month: w, day: 'numeric', timeZone: 'UTC' })
        .formatToParts(date).find((p) => p.type === 'month')?.value ?? '',
    ]);
    months.set(m, names.filter((n) => n && !/^\d+$/.test(n)));
  }
  return { weekdays, months };
}

function build(language: Language, file: LexiconFile): Lexicon {
  const phrases = (list: string[]) => {
    const seen = new Set<string>();
    const out: Phrase[] = [];
    for (const raw of list) {
      const p = toPhrase(raw);
      const key = `${p.words.join(' ')}${p.stem ? '*' : ''}`;
      if (p.words.length && !seen.has(key)) {
        seen.add(key);
        out.push(p);
      }
    }
    return out;
  };
  const intl = intlNames(language);
  const keys = Object.keys(LexiconFileSchema.shape).filter((k) => !['weekdays', 'months', 'reasons', 'numbers'].includes(k)) as LexiconKey[];
  const lists = Object.fromEntries(keys.map((k) => [k, phrases((file[k] as string[] | undefined) ?? [])])) as Record<LexiconKey, Phrase[]>;
  const weekdays = Object.fromEntries(WEEKDAYS.map((d) => [d, phrases([...intl.weekdays[d], ...(file.weekdays[d] ?? [])])])) as Record<Weekday, Phrase[]>;
  const months = new Map<number, Phrase[]>();
  for (let m = 1; m <= 12; m++) {
    const extra = file.months[String(m) as keyof LexiconFile['months']] ?? [];
    months.set(m, phrases([...(intl.months.get(m) ?? []), ...extra]));
  }
  const numbers = new Map(Object.entries(file.numbers).map(([w, n]) => [toPhrase(w), n]));
  return {
    language, lists, weekdays, months, numbers,
    reasons: { sick: phrases(file.reasons.sick), medical: phrases(file.reasons.medical), family: phrases(file.reasons.family) },
  };
}

export type Lexicons = Record<Language, Lexicon>;

export const DEFAULT_ABSENCE_DIR = path.resolve('intents', 'absence');

/** Loads intents/absence/<lang>.yaml for every language; every problem in every file is reported. */
export function loadAbsenceLexicons(dir: string = DEFAULT_ABSENCE_DIR): Lexicons {
  const problems: KnowledgeProblem[] = [];
  const out: Partial<Lexicons> = {};
  const rel = (f: string) => path.relative(process.cwd(), f) || f;
  for (const language of SUPPORTED_LANGUAGES) {
    const file = path.join(dir, `${language}.yaml`);
    if (!existsSync(file)) {
      problems.push({ file: rel(file), path: '', reason: `missing: absence reports in ${language} need this word list` });
      continue;
    }
    const doc = YAML.parseDocument(readFileSync(file, 'utf8'), { uniqueKeys: true });
    if (doc.errors.length) {
      for (const e of doc.errors) problems.push({ file: rel(file), path: `line ${e.linePos?.[0]?.line ?? '?'}`, reason: e.message.split('\n')[0] ?? e.message });
      continue;
    }
    const parsed = LexiconFileSchema.safeParse(doc.toJS() ?? {});
    if (!parsed.success) {
      problems.push(...problemsFromZod(rel(file), parsed.error));
      continue;
    }
    out[language] = build(language, parsed.data);
  }
  if (problems.length) throw new KnowledgeBaseError(problems);
  return out as Lexicons;
}

export { WEEKDAYS };
