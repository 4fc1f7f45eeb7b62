import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { CATALOGUE_INTENTS } from './catalogue.js';
import YAML from 'yaml';
import type { z } from 'zod';
import { SUPPORTED_LANGUAGES, type Language } from '../language/languages.js';
import { KnowledgeBaseError, problemsFromZod, type KnowledgeProblem } from './errors.js';
import { LOCALE_KEYS, Locales } from './locales.js';
import {
  AnswerFileSchema, CalibrationFileSchema, KeywordFileSchema, KEYWORD_LISTS, LocaleFileSchema, RouteFileSchema,
  type AnswerFile, type KeywordList, type LearnedRoute, type RouteFile,
} from './schema.js';

export interface KnowledgeBase {
  answers: Map<string, AnswerFile>;
  routes: Map<LearnedRoute, RouteFile>;
  keywords: Record<KeywordList, Record<Language, string[]>>;
  locales: Locales;
  /** The answer bar per language (intents/calibration.yaml; DEFAULT_ANSWER_THRESHOLD without it). */
  answerThreshold: Record<Language, number>;
}

/** The answer bar where no calibration file exists (INTENTS.md: when unsure, forward). */
export const DEFAULT_ANSWER_THRESHOLD = 0.6;

export interface KnowledgePaths {
  intentsDir: string;
  localesDir: string;
}

export const DEFAULT_PATHS: KnowledgePaths = {
  intentsDir: path.resolve('intents'),
  localesDir: path.resolve('locales'),
};

/**
 * Loads and validates intents/ and locales/. Collects every problem in every file before
 * failing, so one run shows the writer all that is wrong.
 */
export function loadKnowledgeBase(paths: KnowledgePaths = DEFAULT_PATHS): KnowledgeBase {
  const problems: KnowledgeProblem[] = [];
  const rel = (f: string) => path.relative(process.cwd(), f) || f;

  function readYaml<S extends z.ZodType>(file: string, schema: S): z.infer<S> | undefined {
    let raw: unknown;
    try {
      const doc = YAML.parseDocument(readFileSync(file, 'utf8'), { uniqueKeys: true });
      if (doc.errors.length > 0) {
        for (const e of doc.errors) {
          problems.push({ file: rel(file), path: `line ${e.linePos?.[0]?.line ?? '?'}`, reason: e.message.split('\n')[0] ?? e.message });
        }
        return undefined;
      }
      raw = doc.toJS();
    } catch (e) {
      problems.push({ file: rel(file), path: '', reason: (e as Error).message });
      return undefined;
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      problems.push(...problemsFromZod(rel(file), parsed.error));
      return undefined;
    }
    return parsed.data;
  }

  const yamlFiles = (dir: string) => {
    if (!existsSync(dir)) {
      problems.push({ file: rel(dir), path: '', reason: 'folder is missing' });
      return [];
    }
    return readdirSync(dir).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort().map((f) => path.join(dir, f));
  };

  const answers = new Map<string, AnswerFile>();
  for (const file of yamlFiles(path.join(paths.intentsDir, 'answers'))) {
    const entry = readYaml(file, AnswerFileSchema);
    if (!entry) continue;
    const expected = path.basename(file).replace(/\.ya?ml$/, '');
    if (entry.id !== expected) {
      problems.push({ file: rel(file), path: 'id', reason: `id "${entry.id}" must equal the file name "${expected}"` });
      continue;
    }
    answers.set(entry.id, entry);
  }
  for (const id of CATALOGUE_INTENTS) {
    const file = path.join(paths.intentsDir, 'answers', `${id}.yaml`);
    if (!answers.has(id) && !problems.some((p) => p.file === rel(file))) {
      problems.push({ file: rel(file), path: '', reason: 'file is missing: the routing contract (INTENTS.md) lists this intent' });
    }
  }

  const routes = new Map<LearnedRoute, RouteFile>();
  const keywords: Partial<Record<KeywordList, Record<Language, string[]>>> = {};
  for (const file of yamlFiles(path.join(paths.intentsDir, 'routes'))) {
    const name = path.basename(file).replace(/\.ya?ml$/, '');
    if ((KEYWORD_LISTS as readonly string[]).includes(name)) {
      const list = readYaml(file, KeywordFileSchema);
      if (list) keywords[name as KeywordList] = list.keywords;
      continue;
    }
    const entry = readYaml(file, RouteFileSchema);
    if (!entry) continue;
    if (entry.route !== name) {
      problems.push({ file: rel(file), path: 'route', reason: `route "${entry.route}" must equal the file name "${name}"` });
      continue;
    }
    routes.set(entry.route, entry);
  }
  for (const list of KEYWORD_LISTS) {
    if (!keywords[list] && !problems.some((p) => p.file.endsWith(`${list}.yaml`))) {
      problems.push({ file: rel(path.join(paths.intentsDir, 'routes', `${list}.yaml`)), path: '', reason: 'file is missing' });
    }
  }

  const messages = {} as Record<Language, Record<string, string>>;
  for (const language of SUPPORTED_LANGUAGES) {
    const file = path.join(paths.localesDir, `${language}.yaml`);
    if (!existsSync(file)) {
      problems.push({ file: rel(file), path: '', reason: 'file is missing' });
      messages[language] = {};
      continue;
    }
    const map = readYaml(file, LocaleFileSchema) ?? {};
    messages[language] = map;
    for (const [key, message] of Object.entries(map)) {
      if (!(LOCALE_KEYS as readonly string[]).includes(key)) {
        problems.push({ file: rel(file), path: key, reason: `unknown key; the code uses: ${LOCALE_KEYS.join(', ')}` });
      }
      try {
        Locales.compile(message, language);
      } catch (e) {
        problems.push({ file: rel(file), path: key, reason: `ICU message syntax: ${(e as Error).message}` });
      }
    }
  }
  for (const key of LOCALE_KEYS) {
    if (messages.nl?.[key] === undefined && existsSync(path.join(paths.localesDir, 'nl.yaml'))) {
      problems.push({ file: rel(path.join(paths.localesDir, 'nl.yaml')), path: key, reason: 'missing: Dutch is the base language and must define every key' });
    }
  }

  // Optional: a knowledge base without a calibration answers at the default bar everywhere.
  const calibrationFile = path.join(paths.intentsDir, 'calibration.yaml');
  const calibration = existsSync(calibrationFile) ? readYaml(calibrationFile, CalibrationFileSchema) : undefined;
  const answerThreshold = calibration?.answerThreshold
    ?? Object.fromEntries(SUPPORTED_LANGUAGES.map((l) => [l, DEFAULT_ANSWER_THRESHOLD])) as Record<Language, number>;

  if (problems.length > 0) throw new KnowledgeBaseError(problems);
  return { answers, routes, keywords: keywords as Record<KeywordList, Record<Language, string[]>>, locales: new Locales(messages), answerThreshold };
}
