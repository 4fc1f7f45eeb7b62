/**
 * `npm run --silent classify`: one message per line on stdin, one JSON object per line on
 * stdout, in input order. Same code path and thresholds as the live gateway; no network,
 * no server, no database.
 */
import { createInterface } from 'node:readline';
import { Classifier } from '../classification/classifier.js';
import { KnowledgeBaseError } from '../knowledge/errors.js';
import { loadKnowledgeBase } from '../knowledge/load.js';

async function main() {
  const classifier = await Classifier.create(loadKnowledgeBase());
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    const c = await classifier.classify(line);
    process.stdout.write(
      `${JSON.stringify({ text: c.text, language: c.language, route: c.route, intent: c.intent, confidence: c.confidence })}\n`,
    );
  }
}

main().catch((err) => {
  console.error(err instanceof KnowledgeBaseError ? err.message : err);
  process.exit(1);
});
