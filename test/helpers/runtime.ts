import { Classifier } from '../../src/classification/classifier.js';
import { loadKnowledgeBase, type KnowledgeBase } from '../../src/knowledge/load.js';

let shared: Promise<{ kb: KnowledgeBase; classifier: Classifier }> | null = null;

/** The real knowledge base and classifier, trained once per test file. */
export function sharedClassifier() {
  shared ??= (async () => {
    const kb = loadKnowledgeBase();
    return { kb, classifier: await Classifier.create(kb) };
  })();
  return shared;
}
