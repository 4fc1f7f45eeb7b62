/** `npm run eval`: routing quality per language on the held-out set test/fixtures/routing-eval.tsv. */
import path from 'node:path';
import { Classifier, ROUTES } from '../classification/classifier.js';
import { evaluate, FLOORS, readEvalSet } from '../evaluation/routingEval.js';
import { loadKnowledgeBase } from '../knowledge/load.js';

const file = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? path.resolve('test', 'fixtures', 'routing-eval.tsv');
const verbose = process.argv.includes('--misses');
const classifier = await Classifier.create(loadKnowledgeBase());
const reports = await evaluate(classifier, readEvalSet(file));
const pct = (n: number) => `${(n * 100).toFixed(1)}%`.padStart(7);
console.log(`Routing evaluation on ${file}\n`);
console.log('lang  n    routing  language  unsafe  urgent→human  urgent exact');
let failed = false;
for (const r of reports) {
  const below = r.routingAccuracy < FLOORS.routingAccuracy || r.languageAccuracy < FLOORS.languageAccuracy || r.unsafeAnswers > FLOORS.unsafeAnswers || r.urgentReachesHuman < FLOORS.urgentReachesHuman;
  failed ||= below;
  console.log(`${r.language.padEnd(5)} ${String(r.messages).padEnd(4)} ${pct(r.routingAccuracy)}  ${pct(r.languageAccuracy)}  ${pct(r.unsafeAnswers)}  ${pct(r.urgentReachesHuman)}      ${pct(r.urgentRecall)}${below ? '   BELOW FLOOR' : ''}`);
}
console.log(`\nfloors: routing >= ${pct(FLOORS.routingAccuracy)}, language >= ${pct(FLOORS.languageAccuracy)}, unsafe <= ${pct(FLOORS.unsafeAnswers)}, urgent reaches a human = 100%`);
console.log('\nroute confusion (all languages; rows expected, columns predicted):');
const total: Record<string, Record<string, number>> = {};
for (const r of reports) for (const [e, row] of Object.entries(r.confusion)) for (const [p, n] of Object.entries(row)) {
  total[e] ??= {};
  total[e][p] = (total[e][p] ?? 0) + n;
}
console.log(`${''.padEnd(9)}${ROUTES.map((r) => r.padStart(9)).join('')}`);
for (const e of ROUTES) if (total[e]) console.log(`${e.padEnd(9)}${ROUTES.map((p) => String(total[e]?.[p] ?? 0).padStart(9)).join('')}`);
if (verbose) {
  console.log('\nmisses:');
  for (const r of reports) for (const m of r.misses) console.log(`  ${r.language} line ${m.line}: "${m.text}" expected ${m.accept.join('|')}, got ${m.got} (${m.language})`);
  console.log('\nlanguage detection misses:');
  for (const r of reports) for (const m of r.languageMisses) console.log(`  ${r.language} line ${m.line}: "${m.text}" detected ${m.got}`);
} else {
  console.log('\n(run with --misses to list every wrong routing)');
}
process.exitCode = failed ? 1 : 0;
