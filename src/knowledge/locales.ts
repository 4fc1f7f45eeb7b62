import { IntlMessageFormat } from 'intl-messageformat';
import { pickTranslation, type Language, type Translations } from '../language/languages.js';

/**
 * UI strings the code uses. The Dutch locale must define every one; other languages fall
 * back along the chain (guardian -> school default -> Dutch) where a key is missing.
 */
export const LOCALE_KEYS = [
  'ack.absence',
  'ack.forward',
  'ack.urgent',
  'optout.confirm',
  'optin.confirm',
  'optin.already',
  'language.menu',
  'language.changed',
  'more.hint',
  'more.none',
  'detail.missing',
  'detail.missingWithPhone',
  'absence.summary',
  'absence.when',
  'absence.confirm',
  'absence.corrected',
  'absence.whichChild',
  'absence.allChildren',
  'absence.notSchoolDay',
  'absence.tooFarAhead',
  'absence.unknownNumber',
  'absence.unknownRecorded',
  'alert.absent',
  'alert.absentSelf',
  'alert.replyUrgent',
  'staff.who',
  'ack.forwardTo',
  'ack.joined',
  'ticket.closed',
  'staff.reply',
  'canned.willCall',
  'canned.comeToSchool',
  'canned.callSchool',
  'canned.arranged',
  'canned.interpreter',
  'canned.moreSoon',
] as const;
export type LocaleKey = (typeof LOCALE_KEYS)[number];

export type MessageValues = Record<string, string | number>;

export class Locales {
  private readonly compiled = new Map<string, IntlMessageFormat>();

  constructor(private readonly messages: Record<Language, Record<string, string>>) {}

  /** Compiles one message; throws with ICU's reason when the syntax is wrong. */
  static compile(message: string, language: Language): IntlMessageFormat {
    return new IntlMessageFormat(message, language, undefined, { ignoreTag: true });
  }

  has(key: LocaleKey, language: Language): boolean {
    return this.messages[language]?.[key] !== undefined;
  }

  /** Formats `key` in the first language of the chain that has it. */
  format(key: LocaleKey, chain: Language[], values: MessageValues = {}): { language: Language; text: string } {
    const map = Object.fromEntries(
      Object.entries(this.messages).filter(([, m]) => m[key] !== undefined).map(([l, m]) => [l, m[key]]),
    ) as Translations<string>;
    const { language, value } = pickTranslation(map, chain);
    const cacheKey = `${language}\u0000${key}`;
    let fmt = this.compiled.get(cacheKey);
    if (!fmt) {
      fmt = Locales.compile(value, language);
      this.compiled.set(cacheKey, fmt);
    }
    return { language, text: String(fmt.format(values)) };
  }
}
