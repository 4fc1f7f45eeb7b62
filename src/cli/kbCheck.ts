/** `npm run kb:check`: validates intents/ and locales/ exactly as start-up does. */
import { KnowledgeBaseError } from '../knowledge/errors.js';
import { loadKnowledgeBase } from '../knowledge/load.js';

try {
  const kb = loadKnowledgeBase();
  console.log(`Knowledge base OK: ${kb.answers.size} intents, ${kb.routes.size} learned routes, locales for 8 languages.`);
} catch (err) {
  console.error(err instanceof KnowledgeBaseError ? err.message : err);
  process.exit(1);
}
