// NLP.js ships no type declarations; these cover the small surface we use.
declare module '@nlpjs/core' {
  export interface Container {
    use(plugin: unknown): void;
    get(name: string, settings?: unknown): unknown;
  }
  export function containerBootstrap(settings?: unknown): Container;
}
declare module '@nlpjs/nlp' {
  import type { Container } from '@nlpjs/core';
  export interface NluResult {
    intent: string;
    score: number;
    classifications: { intent: string; score: number }[];
  }
  export class Nlp {
    constructor(settings: Record<string, unknown>, container?: Container);
    settings: Record<string, unknown>;
    addLanguage(locales: string | string[]): void;
    addDocument(locale: string, utterance: string, intent: string): void;
    train(): Promise<void>;
    nluManager: { process(locale: string, utterance: string): Promise<NluResult> };
  }
}
declare module '@nlpjs/lang-all' {
  export const LangNl: unknown, LangEn: unknown, LangTr: unknown, LangAr: unknown,
    LangPl: unknown, LangUk: unknown, LangFr: unknown, LangEs: unknown;
}
