import { Classifier } from './classification/classifier.js';
import type { Config } from './config/config.js';
import { InboundHandler } from './conversation/inbound.js';
import { createDb, type Db } from './db/client.js';
import { loadKnowledgeBase, type KnowledgeBase, type KnowledgePaths } from './knowledge/load.js';
import type { Logger } from './logger.js';
import { AlertReplies } from './absence/alertReplies.js';
import { loadAbsenceLexicons, type Lexicons } from './absence/lexicon.js';

export interface Runtime {
  db: Db;
  kb: KnowledgeBase;
  classifier: Classifier;
  inbound: InboundHandler;
  lexicons: Lexicons;
}

/** Loads and validates the knowledge base, trains the classifier, opens the database. */
export async function createRuntime(config: Pick<Config, 'DATABASE_URL'>, log: Logger, paths?: KnowledgePaths): Promise<Runtime> {
  const kb = loadKnowledgeBase(paths);
  const lexicons = loadAbsenceLexicons(paths ? `${paths.intentsDir}/absence` : undefined);
  const started = Date.now();
  const classifier = await Classifier.create(kb);
  log.info({ intents: kb.answers.size, ms: Date.now() - started }, 'classifier trained');
  const db = createDb(config.DATABASE_URL);
  const alertReplies = AlertReplies.create(kb, lexicons, paths ? `${paths.intentsDir}/absence/alert-replies.yaml` : undefined);
  return { db, kb, classifier, lexicons, inbound: new InboundHandler(db, classifier, kb, { lexicons, alertReplies }, log) };
}
