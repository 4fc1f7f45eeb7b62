/**
 * `npm run bench`: classifier speed and cost, printed as ratios against a baseline measured
 * in the same run (normalising and tokenising the same messages). Not a test: numbers vary
 * by machine; the ratios are what to compare between commits.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Classifier } from '../src/classification/classifier.js';
import { tokens } from '../src/classification/normalize.js';
import { readEvalSet } from '../src/evaluation/routingEval.js';
import { loadKnowledgeBase } from '../src/knowledge/load.js';

const messages = readEvalSet(path.resolve('test', 'fixtures', 'routing-eval.tsv')).map((r) => r.text);
const rounds = 5;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

const heapBefore = process.memoryUsage().heapUsed;
const t0 = performance.now();
const kb = loadKnowledgeBase();
const tLoaded = performance.now();
const classifier = await Classifier.create(kb);
const tTrained = performance.now();
global.gc?.();
const heapAfter = process.memoryUsage().heapUsed;

let sink = 0;
const b0 = performance.now();
for (let r = 0; r < rounds; r++) for (const m of messages) sink += tokens(m).length;
const baselineMs = performance.now() - b0;

const c0 = performance.now();
for (let r = 0; r < rounds; r++) for (const m of messages) sink += (await classifier.classify(m)).confidence;
const classifyMs = performance.now() - c0;

const n = messages.length * rounds;
console.log(`messages: ${messages.length} x ${rounds} rounds (held-out evaluation set)`);
console.log(`knowledge base load + validation: ${(tLoaded - t0).toFixed(0)} ms (${kb.answers.size} intents)`);
console.log(`classifier training (start-up):   ${(tTrained - tLoaded).toFixed(0)} ms`);
console.log(`heap growth for the trained model: ${mb(heapAfter - heapBefore)}; rss now ${mb(process.memoryUsage().rss)}`);
console.log(`baseline normalise+tokenise:      ${(n / (baselineMs / 1000)).toFixed(0)} msg/s`);
console.log(`classify:                         ${(n / (classifyMs / 1000)).toFixed(0)} msg/s (${(classifyMs / n).toFixed(2)} ms/msg)`);
console.log(`ratio classify/baseline time:     ${(classifyMs / baselineMs).toFixed(1)}x`);
if (sink < 0) console.log(sink);
