/**
 * One gateway instance's outbox worker as its own process, for test/scaleOut.test.ts:
 * sends until nothing is queued for a few passes, then exits. The real Twilio SDK talks to
 * the Prism mock (through the test's recording proxy) given in TWILIO_API_BASE_URL.
 */
import { createTwilioSender } from '../../src/channels/twilio/index.js';
import { createDb } from '../../src/db/client.js';
import { createLogger } from '../../src/logger.js';
import { OutboxWorker } from '../../src/outbox/worker.js';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_BASE_URL } from './twilioSigning.js';

const db = createDb(process.env.DATABASE_URL!);
const sender = createTwilioSender({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN, publicBaseUrl: TEST_BASE_URL, apiBaseUrl: process.env.TWILIO_API_BASE_URL! });
// OUTBOX_SMS_PER_SECOND: the per-sender limit, shared by all instances through the database.
const smsPerSecond = Number(process.env.OUTBOX_SMS_PER_SECOND ?? 10_000);
const worker = new OutboxWorker(db, sender, createLogger('silent'), { batchSize: 10, pollMs: 20, perSecond: { sms: smsPerSecond, whatsapp: 10_000 } });
let idle = 0;
let sent = 0;
while (idle < 3) {
  const n = await worker.runOnce();
  sent += n;
  idle = n === 0 && (await db.message.count({ where: { status: { in: ['queued', 'sending'] } } })) === 0 ? idle + 1 : 0;
  if (n === 0) await new Promise((r) => setTimeout(r, 50));
}
await db.$disconnect();
process.stdout.write(JSON.stringify({ sent }));
