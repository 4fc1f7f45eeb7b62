import { AlertReplies } from '../../src/absence/alertReplies.js';
import { loadAbsenceLexicons, type Lexicons } from '../../src/absence/lexicon.js';
import { Classifier } from '../../src/classification/classifier.js';
import { loadKnowledgeBase, type KnowledgeBase } from '../../src/knowledge/load.js';

let shared: Promise<{ kb: KnowledgeBase; classifier: Classifier; absence: { lexicons: Lexicons; alertReplies: AlertReplies } }> | null = null;

/** The real knowledge base, classifier and absence word lists, loaded once per test file. */
export function sharedClassifier() {
  shared ??= (async () => {
    const kb = loadKnowledgeBase();
    const lexicons = loadAbsenceLexicons();
    return { kb, classifier: await Classifier.create(kb), absence: { lexicons, alertReplies: AlertReplies.create(kb, lexicons) } };
  })();
  return shared;
}
