import { readFileSync } from 'node:fs';
import { ROUTES, type Classifier, type Route } from '../classification/classifier.js';
import { isLanguage, SUPPORTED_LANGUAGES, type Language } from '../language/languages.js';

export interface EvalRow {
  line: number;
  language: Language;
  text: string;
  /** Acceptable labels: intent ids (route answer) or route names. */
  accept: string[];
}

/** Reads test/fixtures/routing-eval.tsv (language, text, accept, note); a bad row names its line. */
export function readEvalSet(file: string): EvalRow[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const rows: EvalRow[] = [];
  lines.slice(1).forEach((raw, i) => {
    if (!raw.trim()) return;
    const [language, text, accept] = raw.split('\t');
    const line = i + 2;
    if (!isLanguage(language) || !text || !accept) throw new Error(`${file}:${line}: expected language, text and accept separated by tabs`);
    rows.push({ line, language, text, accept: accept.split('|').map((a) => a.trim()).filter(Boolean) });
  });
  return rows;
}

const routeOf = (label: string): Route => ((ROUTES as readonly string[]).includes(label) ? (label as Route) : 'answer');

export interface LanguageReport {
  language: Language;
  messages: number;
  routingAccuracy: number;
  languageAccuracy: number;
  /** Share of messages that must reach a person (only forward/urgent acceptable) that were answered automatically. */
  unsafeAnswers: number;
  /** Share of urgent messages routed to a person (urgent or forward). */
  urgentReachesHuman: number;
  /** Share of urgent messages routed exactly `urgent`. */
  urgentRecall: number;
  /** expected route -> predicted route -> count */
  confusion: Record<string, Record<string, number>>;
  misses: { line: number; text: string; accept: string[]; got: string; language: string }[];
  /** Messages whose language was detected wrongly. */
  languageMisses: { line: number; text: string; got: string }[];
}

export async function evaluate(classifier: Classifier, rows: EvalRow[]): Promise<LanguageReport[]> {
  const reports: LanguageReport[] = [];
  for (const language of SUPPORTED_LANGUAGES) {
    const mine = rows.filter((r) => r.language === language);
    if (mine.length === 0) continue;
    let routed = 0, detected = 0, mustReachPerson = 0, unsafe = 0, urgent = 0, urgentHuman = 0, urgentExact = 0;
    const confusion: LanguageReport['confusion'] = {};
    const misses: LanguageReport['misses'] = [];
    const languageMisses: LanguageReport['languageMisses'] = [];
    for (const row of mine) {
      const c = await classifier.classify(row.text);
      const got = c.route === 'answer' ? c.intent! : c.route;
      const ok = row.accept.includes(got);
      if (ok) routed++;
      else misses.push({ line: row.line, text: row.text, accept: row.accept, got, language: c.language });
      if (c.language === row.language) detected++;
      else languageMisses.push({ line: row.line, text: row.text, got: c.language });
      const expectedRoute = routeOf(row.accept[0]!);
      confusion[expectedRoute] ??= {};
      confusion[expectedRoute][c.route] = (confusion[expectedRoute][c.route] ?? 0) + 1;
      const acceptedRoutes = new Set(row.accept.map(routeOf));
      if ([...acceptedRoutes].every((r) => r === 'forward' || r === 'urgent')) {
        mustReachPerson++;
        if (c.route === 'answer') unsafe++;
      }
      if (acceptedRoutes.has('urgent')) {
        urgent++;
        if (c.route === 'urgent' || c.route === 'forward') urgentHuman++;
        if (c.route === 'urgent') urgentExact++;
      }
    }
    const share = (n: number, d: number) => (d === 0 ? 1 : Math.round((n / d) * 1000) / 1000);
    reports.push({
      language, messages: mine.length, routingAccuracy: share(routed, mine.length), languageAccuracy: share(detected, mine.length),
      unsafeAnswers: mustReachPerson === 0 ? 0 : share(unsafe, mustReachPerson), urgentReachesHuman: share(urgentHuman, urgent),
      urgentRecall: share(urgentExact, urgent), confusion, misses, languageMisses,
    });
  }
  return reports;
}

/** The floors CI enforces (issue 3). */
export const FLOORS = { routingAccuracy: 0.9, languageAccuracy: 0.95, unsafeAnswers: 0.05, urgentReachesHuman: 1 } as const;
