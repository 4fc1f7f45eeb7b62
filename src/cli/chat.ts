/**
 * `npm run chat`: a terminal simulator. You are a parent texting the demo school; you see
 * the reply and the routing decision. Runs the real inbound path on the embedded database,
 * with no Twilio account.
 *
 *   npm run chat -- --from +31600000101 --channel whatsapp
 */
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.js';
import { seedDemoSchool, DEMO_NUMBERS } from '../demo/seed.js';
import { createLogger } from '../logger.js';
import { createRuntime } from '../runtime.js';
import { CHANNELS, type Channel } from '../channels/types.js';

async function main() {
  const { values } = parseArgs({
    options: { from: { type: 'string' }, channel: { type: 'string', default: 'sms' }, to: { type: 'string' } },
  });
  const channel = values.channel as Channel;
  if (!CHANNELS.includes(channel)) throw new Error(`--channel must be one of ${CHANNELS.join(', ')}`);
  const config = loadConfig();
  const log = createLogger('silent');
  const { db, inbound } = await createRuntime(config, log);
  await seedDemoSchool(db, log);

  const guardians = await db.guardian.findMany({ orderBy: { createdAt: 'asc' }, include: { students: { include: { student: true } } } });
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  // Read through one iterator so lines typed (or piped) ahead of a prompt are never lost.
  const lines = rl[Symbol.asyncIterator]();
  const ask = async (prompt: string): Promise<string | null> => {
    process.stdout.write(prompt);
    const next = await lines.next();
    return next.done ? null : next.value;
  };
  let from = values.from;
  if (!from) {
    console.log('Who are you? Pick a guardian of the demo school, or type any number in E.164 (+31...):');
    guardians.forEach((g, i) =>
      console.log(`  ${i + 1}. ${g.name} (${g.language}) ${g.phone}, parent of ${g.students.map((s) => s.student.firstName).join(', ')}`),
    );
    const answer = ((await ask('> ')) ?? '').trim();
    from = /^\d+$/.test(answer) ? guardians[Number(answer) - 1]?.phone : answer;
  }
  if (!from || !/^\+\d{8,15}$/.test(from)) throw new Error('Pick a listed guardian or type a number like +31612345678');
  const to = values.to ?? DEMO_NUMBERS[channel];
  console.log(`\nTexting ${to} by ${channel} as ${from}. Type a message; Ctrl+D to quit.\n`);

  for (;;) {
    const body = await ask('parent> ');
    if (body === null) break;
    if (!process.stdin.isTTY) process.stdout.write(`${body}\n`);
    const outcome = await inbound.handle({
      type: 'message', channel, provider: 'twilio', providerId: `SM${randomBytes(16).toString('hex')}`,
      from, to, body, receivedAt: new Date(),
    });
    if (outcome.kind === 'unknown_number') {
      console.log(`  (no school uses ${to})`);
      continue;
    }
    const c = outcome.classification;
    console.log(c ? `  [language ${c.language} (${c.languageConfidence}) · route ${c.route}${c.intent ? ` · intent ${c.intent}` : ''} · confidence ${c.confidence} · ${c.basis}]` : '  [MORE: continuation of the previous answer]');
    if (outcome.replies.length === 0) console.log('  (no reply: this number is opted out)');
    for (const r of outcome.replies) console.log(`school> ${r.body.replace(/\n/g, '\n        ')}\n`);
  }
  rl.close();
  await db.$disconnect();
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
