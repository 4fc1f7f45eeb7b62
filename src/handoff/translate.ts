import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { LANGUAGE_INFO, type Language } from '../language/languages.js';

/** Turns a staff member's reply into the parent's language. Optional: none by default. */
export interface Translator {
  translate(text: string, to: Language): Promise<string>;
}

const ENGLISH_NAMES: Record<Language, string> = {
  nl: 'Dutch', en: 'English', tr: 'Turkish', ar: 'Arabic', pl: 'Polish', uk: 'Ukrainian', fr: 'French', es: 'Spanish',
};

/**
 * A translator on any `@langchain/core` chat model (a local model, or a provider the school
 * has a processing agreement with). Staff always see the result before it is sent.
 */
export class ChatModelTranslator implements Translator {
  constructor(private readonly model: BaseChatModel) {}

  async translate(text: string, to: Language): Promise<string> {
    const result = await this.model.invoke([
      new SystemMessage(
        `You translate messages from a Dutch school to a parent. Translate the user's message into ${ENGLISH_NAMES[to]} ` +
        `(${LANGUAGE_INFO[to].nativeName}). Plain, short, polite; keep names, dates, times and phone numbers exactly. ` +
        'Answer with the translation only.',
      ),
      new HumanMessage(text),
    ]);
    const out = typeof result.content === 'string' ? result.content : result.content.map((c) => ('text' in c ? c.text : '')).join('');
    const trimmed = out.trim();
    if (!trimmed) throw new Error('the translation provider returned an empty text');
    return trimmed;
  }
}
