/**
 * `npm run bench` (second part): the absence-alert fan-out. 5,000 absent students with two
 * guardians each (languages mixed, a fifth on WhatsApp with a template), rendered in their
 * languages and durably queued in the outbox, on a fresh SQLite file. The baseline, in the
 * same run and the same database, queues the same number of messages with one fixed text
 * and no per-guardian decisions, in the same transaction sizes.
 */
import { performance } from 'node:perf_hooks';
import { AbsenceAlerts, loadSchoolContext } from '../src/absence/alerts.js';
import { localNow } from '../src/absence/dates.js';
import { ReplyComposer } from '../src/conversation/replies.js';
import { schoolDetails } from '../src/directory/schools.js';
import { DEMO_NUMBERS, seedDemoSchool } from '../src/demo/seed.js';
import { loadKnowledgeBase } from '../src/knowledge/load.js';
import { SUPPORTED_LANGUAGES } from '../src/language/languages.js';
import { createLogger } from '../src/logger.js';
import { enqueue } from '../src/outbox/outbox.js';
import { createTestDb } from '../test/helpers/db.js';

const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 5000);
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

const { db, cleanup } = await createTestDb();
const log = createLogger('silent');
await seedDemoSchool(db, log);
const school = await db.school.findFirstOrThrow();
const kb = loadKnowledgeBase();

// Families: 5,000 students, 10,000 guardians with consent.
const ids: string[] = [];
for (let start = 0; start < STUDENTS; start += 500) {
  await db.$transaction(async (tx) => {
    for (let i = start; i < Math.min(STUDENTS, start + 500); i++) {
      const student = await tx.student.create({ data: { schoolId: school.id, externalId: `B${i}`, firstName: `Kind${i}`, lastName: 'Bench' } });
      for (let g = 0; g < 2; g++) {
        const phone = `+316${String(10_000_000 + i * 2 + g).slice(-8)}`;
        const guardian = await tx.guardian.create({
          data: {
            schoolId: school.id, name: `Ouder ${i}-${g}`, phone, alertConsent: true,
            language: SUPPORTED_LANGUAGES[(i + g) % SUPPORTED_LANGUAGES.length]!, whatsapp: i % 5 === 0 ? phone : null,
          },
        });
        await tx.guardianStudent.create({ data: { guardianId: guardian.id, studentId: student.id } });
      }
      ids.push(`B${i}`);
    }
  });
}
for (const language of SUPPORTED_LANGUAGES) {
  await db.messageTemplate.create({ data: { schoolId: school.id, purpose: 'absence_alert', language, contentSid: `HX${language.padEnd(32, '0')}` } });
}
const conversation = await db.conversation.create({ data: { schoolId: school.id, channel: 'sms', address: '+31699999999' } });

// Baseline: the same number of outbox rows, one fixed text, same chunking.
global.gc?.();
const b0 = performance.now();
for (let start = 0; start < STUDENTS * 2; start += 400) {
  await db.$transaction(async (tx) => {
    for (let i = start; i < Math.min(STUDENTS * 2, start + 400); i++) {
      await enqueue(tx, { schoolId: school.id, conversationId: conversation.id, channel: 'sms', from: DEMO_NUMBERS.sms, to: '+31699999999', body: 'Uw kind is niet op school.', kind: 'bench' });
    }
  });
}
const baselineMs = performance.now() - b0;
await db.message.deleteMany({ where: { kind: 'bench' } });

let peak = process.memoryUsage().rss;
const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
const rssBefore = process.memoryUsage().rss;
const alerts = new AbsenceAlerts(db, new ReplyComposer(kb));
const ctx = await loadSchoolContext(db, school, await schoolDetails(db, school));
const t0 = performance.now();
const run = await alerts.send(ctx, { date: localNow(new Date(), school.timezone).date, students: ids, requestedBy: 'bench' });
const fanoutMs = performance.now() - t0;
clearInterval(sampler);

const queued = await db.message.count({ where: { kind: 'absence_alert', status: 'queued' } });
const templates = await db.message.count({ where: { kind: 'absence_alert', contentSid: { not: null } } });
console.log(`\nabsence-alert fan-out: ${STUDENTS} students x 2 guardians (8 languages, 1 in 5 on WhatsApp with a template)`);
console.log(`queued alerts:                    ${queued} (${templates} WhatsApp templates), ${run.students.filter((s) => s.status === 'alerted').length} students alerted`);
console.log(`baseline (queue fixed text):      ${baselineMs.toFixed(0)} ms for ${STUDENTS * 2} messages`);
console.log(`fan-out (decide, render, queue):  ${fanoutMs.toFixed(0)} ms (${((STUDENTS * 2) / (fanoutMs / 1000)).toFixed(0)} messages/s)`);
console.log(`ratio fan-out/baseline time:      ${(fanoutMs / baselineMs).toFixed(1)}x`);
console.log(`peak rss during fan-out:          ${mb(peak)} (${mb(peak - rssBefore)} above the start)`);
await cleanup();
