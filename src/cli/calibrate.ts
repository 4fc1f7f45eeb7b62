/**
 * `npm run calibrate`: finds each language's answer bar by 5-fold cross-validation on the
 * knowledge base's examples (src/classification/calibration.ts) and writes
 * intents/calibration.yaml. Run it after adding or changing examples; `npm run eval` then
 * shows what the new bars do on the held-out set. `--dry-run` prints without writing.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { CANDIDATE_BARS, cheapestBar, chooseBar, crossValidate, MIN_SAVING, outcomeAt, WRONG_ANSWER_COST, type BarOutcome } from '../classification/calibration.js';
import { DEFAULT_ANSWER_THRESHOLD, loadKnowledgeBase } from '../knowledge/load.js';
import { SUPPORTED_LANGUAGES, type Language } from '../language/languages.js';

const FOLDS = 5;
const dryRun = process.argv.includes('--dry-run');
const kb = loadKnowledgeBase();
const started = Date.now();
const heldOut = await crossValidate(kb, FOLDS, (fold) => process.stderr.write(`fold ${fold + 1}/${FOLDS}…\n`));

const pct = (n: number, of: number) => (of === 0 ? '–' : `${((n / of) * 100).toFixed(1)}%`);
const summary = (o: BarOutcome) => ({
  answeredRight: pct(o.answeredRight, o.general), answeredWrong: pct(o.answeredWrong, o.general),
  forwarded: pct(o.forwarded, o.general), unsafe: pct(o.unsafe, o.personal),
});

const answerThreshold = {} as Record<Language, number>;
const measured: Record<string, unknown> = {};
console.log(`lang  bar   right   wrong   to a person  unsafe   (at ${DEFAULT_ANSWER_THRESHOLD}: right, wrong, unsafe)`);
for (const language of SUPPORTED_LANGUAGES) {
  const mine = heldOut.filter((h) => h.language === language);
  const best = chooseBar(mine);
  const atDefault = outcomeAt(DEFAULT_ANSWER_THRESHOLD, mine);
  answerThreshold[language] = best.bar;
  const cheapest = cheapestBar(mine);
  measured[language] = { generalExamples: best.general, personalExamples: best.personal, ...summary(best), cheapestBar: cheapest.bar, costAtBar: best.cost, costAtCheapest: cheapest.cost };
  const s = summary(best);
  const d = summary(atDefault);
  console.log(`${language.padEnd(5)} ${best.bar.toFixed(2)}  ${s.answeredRight.padStart(6)}  ${s.answeredWrong.padStart(6)}  ${s.forwarded.padStart(11)}  ${s.unsafe.padStart(6)}   (${d.answeredRight}, ${d.answeredWrong}, ${d.unsafe})`);
}

const file = path.resolve('intents', 'calibration.yaml');
const doc = new YAML.Document({
  answerThreshold,
  method: `${FOLDS}-fold cross-validation on the examples in intents/ (npm run calibrate); bars ${CANDIDATE_BARS[0]}–${CANDIDATE_BARS.at(-1)}; `
    + `a wrong or unsafe answer costs ${WRONG_ANSWER_COST}, a question sent to a person 1; the cheapest bar, the higher on a tie, `
    + `unless it saves less than ${MIN_SAVING * 100}% of the cost at the default ${DEFAULT_ANSWER_THRESHOLD}`,
  measured,
});
doc.commentBefore = ' Written by `npm run calibrate`; do not edit by hand (see src/classification/calibration.ts).\n'
  + ' answerThreshold: per language, the score a general question needs to be answered automatically.\n'
  + ' measured: what each bar did to the held-out folds (shares of the general questions; unsafe: of the messages for a person).';
if (dryRun) console.log(`\n${doc.toString()}`);
else writeFileSync(file, doc.toString());
console.log(`\n${dryRun ? 'not written (--dry-run)' : `written ${path.relative(process.cwd(), file)}`}; ${((Date.now() - started) / 1000).toFixed(0)} s`);
