import { distance } from 'fastest-levenshtein';
import { normalizeText } from '../classification/normalize.js';
import { matchChildren, type ChildName } from './childMatch.js';
import {
  addDays, addSchoolDays, daysBetween, isSchoolDay, isValidIsoDate, nextSchoolDay, weekdayIndex, type IsoDate,
} from './dates.js';
import { joinApostrophes, WEEKDAYS, type Lexicon, type LexiconKey, type Phrase, type Reason, type Weekday } from './lexicon.js';

export type DayPart = 'whole' | 'morning' | 'afternoon' | 'until' | 'from';

export interface ParseContext {
  lexicon: Lexicon;
  /** The school's local date and time when the message arrived. */
  today: IsoDate;
  time: string;
  /** After this local time a report without a day is about the next school day. */
  schoolEnds: string;
  children: ChildName[];
}

export interface ParsedAbsence {
  /** Children named, in order; empty when none was named. */
  childIds: string[];
  /** "both", "all of them". */
  allChildren: boolean;
  start: IsoDate;
  end: IsoDate;
  /** True when the message named a day; false when the day was assumed. */
  dayGiven: boolean;
  dayPart: DayPart;
  time: string | null;
  reason: Reason;
  /** Days the parent named that are not school days (weekends). */
  nonSchoolDays: IsoDate[];
  /** The message reads as a correction ("no, Wednesday"). */
  correction: boolean;
}

interface Hit {
  pos: number;
  len: number;
  key: LexiconKey | 'weekday' | 'month' | 'reason' | 'number' | 'time' | 'date';
  weekday?: Weekday;
  month?: number;
  reason?: Exclude<Reason, 'other'>;
  value?: number;
  time?: string;
  date?: IsoDate;
}

/** "٢٤/١١" -> "24/11": Arabic-Indic and Persian digits read as digits. */
function westernDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => String((d.charCodeAt(0) & 0xf) % 10));
}

/** Stands for a comma or full stop among the words; matches nothing, keeps distances. */
const BREAK = 'qbrkq';

const ARABIC_PREFIX = /^(?:وال|بال|لل|ال|و|ف|ب|ل)(?=\p{L}{2})/u;

function tokenVariants(token: string): string[] {
  if (!/\p{Script=Arabic}/u.test(token)) return [token];
  const stripped = token.replace(ARABIC_PREFIX, '');
  const again = stripped.replace(/^ال(?=\p{L}{2})/u, '');
  return [...new Set([token, stripped, again])];
}

function wordEquals(token: string, word: string, stem: boolean, fuzzy = true): boolean {
  for (const t of tokenVariants(token)) {
    if (stem ? t.startsWith(word) : t === word) return true;
    // One typo in a long word: "vandag", "woensdg", "tomorow".
    if (fuzzy && !stem && word.length >= 6 && t.length >= 6 && /^\p{L}+$/u.test(t) && Math.abs(t.length - word.length) <= 1 && distance(t, word) <= 1) return true;
  }
  return false;
}

function matchAt(tokens: string[], i: number, phrase: Phrase, fuzzy = true): number {
  const n = phrase.words.length;
  for (let j = 0; j < n; j++) {
    const token = tokens[i + j];
    if (token === undefined || !wordEquals(token, phrase.words[j]!, phrase.stem && j === n - 1, fuzzy)) return 0;
  }
  return n;
}

/** Placeholders for times and dates found in the raw text, so they keep their place. */
function extractTimesAndDates(text: string, today: IsoDate): { text: string; times: Map<string, string>; dates: Map<string, IsoDate> } {
  const times = new Map<string, string>();
  const dates = new Map<string, IsoDate>();
  let out = text.replace(/(\d{1,2})[/\-.](\d{1,2})(?:[/\-.](\d{2,4}))?(?![\d:])/g, (all, d: string, m: string, y: string | undefined, offset: number, whole: string) => {
    const day = Number(d);
    const month = Number(m);
    const sep = all[d.length];
    // "10.30" is a time, "24.11" a date; "10:30" never reaches here.
    if (whole[offset - 1] === ':' || month < 1 || month > 12 || day < 1 || day > 31) return all;
    if (sep === '.' && !y && Number(m) > 12) return all;
    const date = resolveDayMonth(day, month, today, y ? (Number(y) < 100 ? 2000 + Number(y) : Number(y)) : undefined);
    if (!date) return all;
    const key = `qd${String.fromCharCode(97 + dates.size)}q`;
    dates.set(key, date);
    return ` ${key} `;
  });
  out = out.replace(/(?<![\d/])([01]?\d|2[0-3])(?:[:.h]([0-5]\d))?\s*(am|pm|a\.m\.|p\.m\.|u\b|uur|h\b|hr|hrs|heures?|horas?|hs\b|godz\.?|год\.?|ч\.?(?=\s|$)|o'?clock)?/giu, (all, h: string, m: string | undefined, unit: string | undefined) => {
    if (!m && !unit) return all;
    let hour = Number(h);
    const u = (unit ?? '').toLowerCase().replace(/\./g, '');
    if (u === 'pm' && hour < 12) hour += 12;
    if (u === 'am' && hour === 12) hour = 0;
    // School runs by day: "pick her up at 1.30" is 13:30, not half past one at night.
    if (!u.startsWith('a') && hour >= 1 && hour <= 6) hour += 12;
    const key = `qt${String.fromCharCode(97 + times.size)}q`;
    times.set(key, `${String(hour).padStart(2, '0')}:${m ?? '00'}`);
    return ` ${key} `;
  });
  return { text: out, times, dates };
}

/** A day and month without a year: this year, or next year when that date is long past. */
function resolveDayMonth(day: number, month: number, today: IsoDate, year?: number): IsoDate | null {
  const y = year ?? Number(today.slice(0, 4));
  const iso = `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  if (!isValidIsoDate(iso)) return null;
  if (!year && daysBetween(iso, today) > 60) return resolveDayMonth(day, month, today, y + 1);
  return iso;
}

function previousSchoolDay(iso: IsoDate): IsoDate {
  let d = addDays(iso, -1);
  while (!isSchoolDay(d)) d = addDays(d, -1);
  return d;
}

function nearestWeekday(today: IsoDate, weekday: Weekday, strictlyAfter: boolean): IsoDate {
  const target = WEEKDAYS.indexOf(weekday);
  let delta = (target - weekdayIndex(today) + 7) % 7;
  if (delta === 0 && strictlyAfter) delta = 7;
  return addDays(today, delta);
}

const LIST_KEYS: LexiconKey[] = [
  'today', 'tomorrow', 'dayAfterTomorrow', 'yesterday', 'thisMorning', 'thisAfternoon', 'morning', 'afternoon',
  'ignore', 'wholeWeek', 'nextWeek', 'next', 'nextAfter', 'fromAfter', 'arriveAfter', 'leaveAfter', 'until', 'untilAfter', 'from', 'arriveAt', 'leaveAt', 'days', 'all', 'not', 'correction', 'backOn',
];

function scan(tokens: string[], lex: Lexicon, times: Map<string, string>, dates: Map<string, IsoDate>): Hit[] {
  const hits: Hit[] = [];
  for (let i = 0; i < tokens.length; ) {
    const token = tokens[i]!;
    if (times.has(token)) { hits.push({ pos: i, len: 1, key: 'time', time: times.get(token)! }); i++; continue; }
    if (dates.has(token)) { hits.push({ pos: i, len: 1, key: 'date', date: dates.get(token)! }); i++; continue; }
    if (token === BREAK) { i++; continue; }
    if (/^\d{1,2}$/.test(token)) { hits.push({ pos: i, len: 1, key: 'number', value: Number(token) }); i++; continue; }
    let best: Hit | null = null;
    const consider = (hit: Hit) => { if (!best || hit.len > best.len) best = hit; };
    for (const key of LIST_KEYS) for (const p of lex.lists[key]) { const len = matchAt(tokens, i, p); if (len) consider({ pos: i, len, key }); }
    for (const day of WEEKDAYS) for (const p of lex.weekdays[day]) { const len = matchAt(tokens, i, p); if (len) consider({ pos: i, len, key: 'weekday', weekday: day }); }
    for (const [month, ps] of lex.months) for (const p of ps) { const len = matchAt(tokens, i, p); if (len) consider({ pos: i, len, key: 'month', month }); }
    for (const reason of ['sick', 'medical', 'family'] as const) for (const p of lex.reasons[reason]) { const len = matchAt(tokens, i, p); if (len) consider({ pos: i, len, key: 'reason', reason }); }
    for (const [phrase, value] of lex.numbers) { const len = matchAt(tokens, i, phrase, false); if (len) consider({ pos: i, len, key: 'number', value }); }
    // "..., pas mardi": a negation that only counts at the start of a clause.
    if (i === 0 || tokens[i - 1] === BREAK) for (const p of lex.lists.clauseNot) { const len = matchAt(tokens, i, p, false); if (len) consider({ pos: i, len, key: 'not' }); }
    const found = best as Hit | null;
    if (found?.key === 'ignore') { i += found.len; continue; }
    if (found) { hits.push(found); i += found.len; continue; }
    // Dutch writes "morgenochtend", "vanmiddag" as one word: try two known halves.
    const split = splitCompound(token, lex);
    if (split) hits.push(...split.map((h) => ({ ...h, pos: i })));
    i++;
  }
  return hits;
}

function splitCompound(token: string, lex: Lexicon): Hit[] | null {
  if (token.length < 7 || !/^\p{L}+$/u.test(token)) return null;
  const single = (key: LexiconKey, word: string) => lex.lists[key].some((p) => p.words.length === 1 && (p.stem ? word.startsWith(p.words[0]!) : word === p.words[0]));
  for (let k = 3; k <= token.length - 3; k++) {
    const a = token.slice(0, k);
    const b = token.slice(k);
    const first = (['today', 'tomorrow', 'dayAfterTomorrow'] as const).find((key) => single(key, a))
      ?? (WEEKDAYS.find((d) => lex.weekdays[d].some((p) => p.words.length === 1 && p.words[0] === a)));
    const second = (['morning', 'afternoon'] as const).find((key) => single(key, b));
    if (first && second) {
      const firstHit: Hit = (WEEKDAYS as readonly string[]).includes(first)
        ? { pos: 0, len: 1, key: 'weekday', weekday: first as Weekday }
        : { pos: 0, len: 1, key: first as LexiconKey };
      return [firstHit, { pos: 0, len: 1, key: second }];
    }
  }
  return null;
}

/**
 * Reads an absence report: which child, which days, which part of the day, and the reason
 * category. Deterministic and offline; the words come from intents/absence/<lang>.yaml.
 */
export function parseAbsence(text: string, ctx: ParseContext): ParsedAbsence {
  const lex = ctx.lexicon;
  const { text: marked, times, dates } = extractTimesAndDates(westernDigits(text), ctx.today);
  // A comma or full stop ends a clause: "No, el miércoles" does not negate Wednesday.
  const tokens = normalizeText(joinApostrophes(marked).replace(/(?<=\p{L}{4}|\d)\.+(?=\s|$)|[,;!?،؛؟]+/gu, ` ${BREAK} `)).split(' ').filter(Boolean);
  const hits = scan(tokens, lex, times, dates);
  const at = (pos: number) => hits.find((h) => h.pos === pos);
  const near = (h: Hit, keys: Hit['key'][], before: number, after = 0) =>
    hits.some((o) => o !== h && keys.includes(o.key) && (
      (o.pos < h.pos && h.pos - (o.pos + o.len - 1) <= before) || (o.pos > h.pos && o.pos - (h.pos + h.len - 1) <= after)
    ));

  interface DayMention { date: IsoDate; until: boolean; pos: number }
  const days: DayMention[] = [];
  let part: DayPart = 'whole';
  let time: string | null = null;
  let wholeWeek = false;
  let nextWeek = false;
  let count = 0;
  const usedNumbers = new Set<number>();

  const nextWeekMentioned = hits.some((h) => h.key === 'nextWeek');
  const isBack = (h: Hit) => near(h, ['backOn'], 2, 0) || near(h, ['backOn'], 0, 2);
  const isUntil = (h: Hit) => near(h, ['until'], 2) || near(h, ['untilAfter'], 0, 2);
  for (const h of hits) {
    let date: IsoDate | null = null;
    switch (h.key) {
      case 'today': date = ctx.today; break;
      case 'tomorrow': date = addDays(ctx.today, 1); break;
      case 'dayAfterTomorrow': date = addDays(ctx.today, 2); break;
      case 'yesterday': date = addDays(ctx.today, -1); break;
      // "this morning he vomited, he stays home today": then it says when, not which part.
      case 'thisMorning': date = ctx.today; if (!hits.some((o) => o.key === 'today')) part = 'morning'; break;
      case 'thisAfternoon': date = ctx.today; if (!hits.some((o) => o.key === 'today')) part = 'afternoon'; break;
      case 'weekday': date = nextWeekMentioned
        // "volgende week dinsdag": that weekday of next week.
        ? addDays(ctx.today, 7 - weekdayIndex(ctx.today) + WEEKDAYS.indexOf(h.weekday!))
        : nearestWeekday(ctx.today, h.weekday!, near(h, ['next'], 1) || near(h, ['nextAfter'], 0, 2)); break;
      case 'date': date = h.date!; break;
      case 'month': {
        // "24 november", "24. listopada"; month first ("November 24") only in English,
        // where other languages' short month names are everyday words ("sie", "maja").
        const num = at(h.pos - 1)?.key === 'number' ? at(h.pos - 1)
          : lex.language === 'en' && at(h.pos + h.len)?.key === 'number' ? at(h.pos + h.len) : undefined;
        if (num?.value) {
          usedNumbers.add(num.pos);
          date = resolveDayMonth(num.value, h.month!, ctx.today);
        }
        break;
      }
      case 'wholeWeek': wholeWeek = true; break;
      case 'nextWeek': nextWeek = !hits.some((o) => o.key === 'weekday'); break;
      case 'morning': if (part === 'whole') part = 'morning'; break;
      case 'afternoon': if (part === 'whole') part = 'afternoon'; break;
      default: break;
    }
    // "niet dinsdag maar woensdag": a negated day is the wrong one.
    // "back on Wednesday": absent until the school day before.
    if (date && isBack(h)) date = previousSchoolDay(date);
    if (date && !near(h, ['not'], 1)) days.push({ date, until: isUntil(h) || isBack(h), pos: h.pos });
  }

  // Times: "tot 10:00", "komt om 10 uur", "vanaf 13u", "10'a kadar"; a bare number after
  // such a word is an hour ("komt om 10").
  for (const h of hits) {
    let value: string | null = h.key === 'time' ? h.time! : null;
    if (!value && h.key === 'number' && !usedNumbers.has(h.pos) && h.value! >= 7 && h.value! <= 17
      && at(h.pos + 1)?.key !== 'days' && at(h.pos + 1)?.key !== 'month' && !/^(min|dak|хв|мин|دق)/u.test(tokens[h.pos + 1] ?? '')
      && (near(h, ['until', 'arriveAt', 'from', 'leaveAt'], 1) || near(h, ['untilAfter'], 0, 1)
        || ((tokens[h.pos - 1]?.length ?? 9) <= 3 && near(h, ['arriveAt', 'leaveAt'], 4)))) {
      value = `${String(h.value).padStart(2, '0')}:00`;
    }
    if (!value) continue;
    // "komt morgen pas om 10 uur": the verb may stand a few words before the time.
    if (near(h, ['until'], 2) || near(h, ['arriveAt'], 4) || near(h, ['untilAfter'], 0, 1)) { part = 'until'; time = value; }
    else if (near(h, ['from'], 2) || near(h, ['leaveAt'], 4) || near(h, ['fromAfter', 'leaveAfter'], 0, 3)) { part = 'from'; time = value; }
    else if (near(h, ['arriveAfter'], 0, 3)) { part = 'until'; time = value; }
  }

  // "3 dagen", "two days"
  for (const h of hits) {
    if (h.key === 'number' && !usedNumbers.has(h.pos) && at(h.pos + h.len)?.key === 'days' && h.value! <= 10) count = h.value!;
  }

  // "dinsdag 24 november" names one day twice: the weekday next to a date is dropped.
  const dated = days.filter((d) => !hits.some((o) => o.pos === d.pos && o.key === 'weekday'));
  const merged = days.filter((d) => {
    const isWeekday = hits.some((o) => o.pos === d.pos && o.key === 'weekday');
    return !isWeekday || !dated.some((o) => o !== d && Math.abs(o.pos - d.pos) <= 3 && weekdayIndex(o.date) === weekdayIndex(d.date));
  });
  days.length = 0;
  days.push(...merged);
  const plain = days.filter((d) => !d.until).map((d) => d.date).sort();
  const targets = days.filter((d) => d.until).map((d) => d.date).sort();
  const dayGiven = days.length > 0 || nextWeek || wholeWeek || count > 1;
  const assumed = ctx.time < ctx.schoolEnds && isSchoolDay(ctx.today) ? ctx.today : nextSchoolDay(ctx.today, false);

  let start: IsoDate;
  let end: IsoDate;
  const untilNextWeek = nextWeek && hits.some((h) => h.key === 'nextWeek' && isUntil(h));
  if (untilNextWeek) {
    // "home until next week": the rest of this week.
    start = plain[0] ?? assumed;
    end = addDays(start, 4 - Math.min(4, weekdayIndex(start)));
  } else if (nextWeek && plain.length === 0) {
    start = addDays(ctx.today, 7 - weekdayIndex(ctx.today));
    end = targets.at(-1) ?? addDays(start, 4);
  } else {
    start = plain[0] ?? assumed;
    if (targets.length) end = targets.at(-1)!;
    else if (wholeWeek) end = addDays(start, 4 - Math.min(4, weekdayIndex(start)));
    else if (count > 1) end = addSchoolDays(start, count);
    else end = plain.at(-1) ?? start;
    if (wholeWeek && !isSchoolDay(start)) { start = nextSchoolDay(start); end = addDays(start, 4); }
  }
  if (end < start) end = start;

  const named = days.map((d) => d.date);
  const nonSchoolDays = [...new Set(named.filter((d) => !isSchoolDay(d)))];
  if (part !== 'until' && part !== 'from') time = null;

  const reasons = new Set(hits.filter((h) => h.key === 'reason').map((h) => h.reason!));
  const reason: Reason = reasons.has('sick') ? 'sick' : reasons.has('medical') ? 'medical' : reasons.has('family') ? 'family' : 'other';

  return {
    childIds: matchChildren(text, ctx.children),
    allChildren: hits.some((h) => h.key === 'all'),
    start, end, dayGiven, dayPart: part, time, reason, nonSchoolDays,
    correction: hits.some((h) => h.key === 'correction' || h.key === 'not'),
  };
}
