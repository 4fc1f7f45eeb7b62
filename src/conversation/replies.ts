import { formatDay, localNow } from '../absence/dates.js';
import type { Channel } from '../channels/types.js';
import type { Classification } from '../classification/classifier.js';
import type { School } from '../generated/prisma/client.js';
import type { KnowledgeBase } from '../knowledge/load.js';
import type { LocaleKey } from '../knowledge/locales.js';
import { fillPlaceholders, fitToChannel, type SchoolDetails } from '../knowledge/render.js';
import { fenceLtr, LANGUAGE_INFO, SUPPORTED_LANGUAGES, withDirection, type Language } from '../language/languages.js';

export interface Reply {
  body: string;
  language: Language;
  /** What kind of reply this is; stored on the message for staff and metrics. */
  kind:
    | 'answer' | 'more' | 'ack_absence' | 'ack_forward' | 'ack_urgent' | 'optout' | 'optin' | 'language_menu' | 'language_changed'
    | 'absence_confirm' | 'absence_corrected' | 'absence_question' | 'absence_unknown' | 'alert_reply_urgent';
  /** Sent even to opted-out numbers: only the opt-out/opt-in confirmations. */
  essential: boolean;
  /** MORE parts still to come (answers only). */
  pendingMore: string[];
}

/** Composes the reply for a routed message. Pure: reads nothing, writes nothing. */
export class ReplyComposer {
  constructor(private readonly kb: KnowledgeBase) {}

  /** A locale text with the school's name, phone and cut-off filled in, in the language's direction. */
  text(key: LocaleKey, language: Language, school: School, details: SchoolDetails, extra: Record<string, string | number> = {}) {
    const missing = this.kb.locales.format('detail.missing', [language]).text;
    const values = {
      schoolName: fenceLtr(school.name, language),
      schoolPhone: details.phone ? fenceLtr(details.phone, language) : missing,
      cutoff: details.absenceCutoff ? fenceLtr(details.absenceCutoff, language) : missing,
      // Lets a text leave out its "before 08:15" phrase when the school has set no cut-off.
      hasCutoff: details.absenceCutoff ? 'yes' : 'no',
      ...extra,
      // Staff names are Latin script: fenced, so an Arabic text keeps them in order.
      ...(typeof extra.staffName === 'string' ? { staffName: fenceLtr(extra.staffName, language) } : {}),
    };
    return withDirection(this.kb.locales.format(key, [language], values).text, language);
  }

  compose(c: Classification, language: Language, school: School, details: SchoolDetails, channel: Channel): Reply {
    const simple = (kind: Reply['kind'], key: Parameters<ReplyComposer['text']>[0], essential = false, extra = {}): Reply => ({
      body: this.text(key, language, school, details, extra), language, kind, essential, pendingMore: [],
    });
    switch (c.route) {
      case 'answer': {
        const entry = this.kb.answers.get(c.intent ?? '');
        if (!entry) return simple('ack_forward', 'ack.forward');
        const { text, more } = entry.answer[language];
        const parts = fitToChannel(
          fillPlaceholders(text, details, language, this.kb.locales),
          more ? fillPlaceholders(more, details, language, this.kb.locales) : undefined,
          channel, language, this.kb.locales,
        );
        return { body: parts.first, language, kind: 'answer', essential: false, pendingMore: parts.rest };
      }
      case 'absence':
        return simple('ack_absence', 'ack.absence');
      case 'forward':
        return simple('ack_forward', 'ack.forward');
      case 'urgent':
        return simple('ack_urgent', 'ack.urgent');
      case 'optout':
        return simple('optout', 'optout.confirm', true);
      case 'optin':
        return simple('optin', 'optin.confirm', true);
      case 'language':
        if (c.requestedLanguage) {
          return { ...this.languageChanged(c.requestedLanguage, school, details), language: c.requestedLanguage };
        }
        return simple('language_menu', 'language.menu', false, {
          languages: SUPPORTED_LANGUAGES.map((l) => LANGUAGE_INFO[l].nativeName).join('\n'),
        });
    }
  }

  /** "Passed on to Juf Anouk (teacher); an answer by Wednesday 25 November." */
  forwardAck(language: Language, school: School, details: SchoolDetails, t: { staff: { name: string; role: string }; dueAt: Date; joined: boolean }): Reply {
    const staff = this.kb.locales.format('staff.who', [language], { name: fenceLtr(t.staff.name, language), role: t.staff.role }).text;
    const deadline = formatDay(localNow(t.dueAt, school.timezone).date, language);
    const values = { staff, deadline };
    const body = this.text(t.joined ? 'ack.joined' : 'ack.forwardTo', language, school, details, values);
    return { body, language, kind: 'ack_forward', essential: false, pendingMore: [] };
  }

  languageChanged(language: Language, school: School, details: SchoolDetails): Reply {
    return { body: this.text('language.changed', language, school, details), language, kind: 'language_changed', essential: false, pendingMore: [] };
  }

  optinAlready(language: Language, school: School, details: SchoolDetails): Reply {
    return { body: this.text('optin.already', language, school, details), language, kind: 'optin', essential: true, pendingMore: [] };
  }

  more(parts: string[], language: Language, school: School, details: SchoolDetails): Reply {
    if (parts.length === 0) {
      return { body: this.text('more.none', language, school, details), language, kind: 'more', essential: false, pendingMore: [] };
    }
    return { body: parts[0]!, language, kind: 'more', essential: false, pendingMore: parts.slice(1) };
  }
}
