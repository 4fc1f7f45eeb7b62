import { z } from 'zod';
import { SUPPORTED_LANGUAGES, type Language } from '../language/languages.js';

/** Placeholders an answer may use; each maps to a detail of the school record. */
export const SCHOOL_PLACEHOLDERS = [
  'name', 'phone', 'email', 'website', 'address', 'city', 'startTime', 'endTime',
  'absenceCutoff', 'contactHours', 'guideUrl', 'portalName', 'portalUrl', 'holidaysUrl',
  'parentContribution', 'childcareProvider', 'board', 'parentContactName', 'directorName',
  'careCoordinatorName',
] as const;
export type SchoolPlaceholder = (typeof SCHOOL_PLACEHOLDERS)[number];

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** Finds `{...}` placeholders and reports the ones that are not `{school.<known>}`. */
export function unknownPlaceholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)]
    .map((m) => m[1] ?? '')
    .filter((name) => !(name.startsWith('school.') && (SCHOOL_PLACEHOLDERS as readonly string[]).includes(name.slice(7))));
}

const nonEmptyText = z.string().trim().min(1, 'must not be empty');

const answerText = nonEmptyText.superRefine((text, ctx) => {
  for (const name of unknownPlaceholders(text)) {
    ctx.addIssue({
      code: 'custom',
      message: `unknown placeholder {${name}}; known: ${SCHOOL_PLACEHOLDERS.map((p) => `{school.${p}}`).join(', ')}`,
    });
  }
});

/** An object with exactly one entry per supported language. */
function perLanguage<T extends z.ZodType>(value: T) {
  return z.strictObject(
    Object.fromEntries(SUPPORTED_LANGUAGES.map((l) => [l, value])) as Record<Language, T>,
  );
}

const exampleList = z.array(nonEmptyText).min(1, 'needs at least one example');

export const INTENT_ID = /^[a-z]+(?:[._][a-z]+)*$/;

export const AnswerFileSchema = z.strictObject({
  id: z.string().regex(INTENT_ID, 'must be a lower-case id such as leave.request'),
  examples: perLanguage(exampleList),
  answer: perLanguage(z.strictObject({ text: answerText, more: answerText.optional() })),
});
export type AnswerFile = z.infer<typeof AnswerFileSchema>;

/** Routes the classifier learns from examples (the others are exact keywords). */
export const LEARNED_ROUTES = ['absence', 'forward', 'urgent', 'language'] as const;
export type LearnedRoute = (typeof LEARNED_ROUTES)[number];

export const RouteFileSchema = z.strictObject({
  route: z.enum(LEARNED_ROUTES),
  examples: perLanguage(exampleList),
});
export type RouteFile = z.infer<typeof RouteFileSchema>;

/**
 * `polite` lists words that may surround a keyword without changing it ("STOP please");
 * `emergency` lists words that make a message for a person urgent wherever they appear.
 */
export const KEYWORD_LISTS = ['optout', 'optin', 'more', 'polite', 'emergency'] as const;
export type KeywordList = (typeof KEYWORD_LISTS)[number];

export const KeywordFileSchema = z.strictObject({
  route: z.enum(KEYWORD_LISTS).optional(),
  keywords: perLanguage(z.array(nonEmptyText).min(1, 'needs at least one keyword')),
});
export type KeywordFile = z.infer<typeof KeywordFileSchema>;

/**
 * intents/calibration.yaml, written by `npm run calibrate` (cross-validation on the examples):
 * per language, the model score a general question must reach to be answered automatically.
 * Bounded so a slip of the pen cannot make the gateway answer everything or nothing.
 */
export const CalibrationFileSchema = z.strictObject({
  answerThreshold: perLanguage(z.number().min(0.4, 'must be at least 0.4 (below that, wrong answers multiply)').max(0.9, 'must be at most 0.9 (above that, almost every question waits for a person)')),
  /** How the numbers were found (the calibration writes it; people read it). */
  method: z.string().optional(),
  measured: z.record(z.string(), z.unknown()).optional(),
});
export type CalibrationFile = z.infer<typeof CalibrationFileSchema>;

/** locales/<lang>.yaml: flat map of message key -> ICU MessageFormat string. */
export const LocaleFileSchema = z.record(
  z.string().regex(/^[a-z][a-zA-Z0-9]*(?:\.[a-z][a-zA-Z0-9]*)*$/, 'keys look like ack.forward'),
  nonEmptyText,
);
