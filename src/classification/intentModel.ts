import { containerBootstrap } from '@nlpjs/core';
import { LangAr, LangEn, LangEs, LangFr, LangNl, LangPl, LangTr, LangUk } from '@nlpjs/lang-all';
import { Nlp } from '@nlpjs/nlp';
import type { Language } from '../language/languages.js';
import { SUPPORTED_LANGUAGES } from '../language/languages.js';

export interface Scored {
  label: string;
  score: number;
}

/** A labelled training sentence. Labels are intent ids or `route:<name>`. */
export interface TrainingExample {
  language: Language;
  text: string;
  label: string;
}

/**
 * The intent model: NLP.js's neural NLU, one network per language with that language's
 * tokenizer, stemmer and normaliser. Training is deterministic (same examples, same
 * weights), offline, and takes about a second for the whole catalogue.
 */
export class IntentModel {
  private constructor(private readonly nlp: Nlp) {}

  static async train(examples: TrainingExample[]): Promise<IntentModel> {
    const container = containerBootstrap();
    for (const lang of [LangNl, LangEn, LangTr, LangAr, LangPl, LangUk, LangFr, LangEs]) container.use(lang);
    const nlp = new Nlp(
      { languages: [...SUPPORTED_LANGUAGES], autoSave: false, autoLoad: false, nlu: { log: false }, forceNER: false },
      container,
    );
    for (const { language, text, label } of examples) nlp.addDocument(language, text, label);
    await nlp.train();
    return new IntentModel(nlp);
  }

  /** Labels ranked by score; `None` (score 1) when no known word appears. */
  async classify(language: Language, text: string): Promise<Scored[]> {
    const result = await this.nlp.nluManager.process(language, text);
    if (result.intent === 'None') return [{ label: 'None', score: 1 }];
    return result.classifications.filter((c) => c.score > 0).map((c) => ({ label: c.intent, score: c.score }));
  }
}
