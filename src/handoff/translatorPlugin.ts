import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { ChatModelTranslator, type Translator } from './translate.js';

export class TranslatorPluginError extends Error {
  constructor(message: string) {
    super(`TRANSLATION_MODEL_MODULE: ${message}`);
    this.name = 'TranslatorPluginError';
  }
}

/**
 * Loads the optional translation plug-in: a module whose default export is a
 * `@langchain/core` chat model, or a (possibly async) function returning one. Nothing is
 * loaded unless the school configured it; the gateway itself never calls out.
 */
export async function loadTranslator(modulePath: string | undefined): Promise<Translator | null> {
  if (!modulePath) return null;
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(resolve(modulePath)).href)) as { default?: unknown };
  } catch (err) {
    throw new TranslatorPluginError(`cannot load ${modulePath}: ${(err as Error).message}`);
  }
  const exported = mod.default;
  const model = typeof exported === 'function' && !('invoke' in (exported as object)) ? await (exported as () => unknown)() : exported;
  if (!model || typeof (model as { invoke?: unknown }).invoke !== 'function') {
    throw new TranslatorPluginError(`${modulePath} must export default a @langchain/core chat model (or a function returning one)`);
  }
  return new ChatModelTranslator(model as BaseChatModel);
}
