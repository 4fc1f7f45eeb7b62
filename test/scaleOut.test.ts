import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTwilioSender } from '../src/channels/twilio/index.js';
import type { Db } from '../src/db/client.js';
import { DEMO_NUMBERS, seedDemoSchool } from '../src/demo/seed.js';
import { createLogger } from '../src/logger.js';
import { enqueue } from '../src/outbox/outbox.js';
import { OutboxWorker } from '../src/outbox/worker.js';
import { createTestDb, TEST_DIALECT, TEST_POSTGRES_URL } from './helpers/db.js';
import { startFaultProxy } from './helpers/faultProxy.js';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_BASE_URL } from './helpers/twilioSigning.js';

/**
 * Several gateway instances on one PostgreSQL (issue 6): the outbox is claimed with row
 * locks that skip locked rows, and however many processes send, each message goes out once.
 * PostgreSQL only: SQLite is the single-process embedded default.
 */
const run = promisify(execFile);
const log = createLogger('silent');

describe.skipIf(TEST_DIALECT !== 'postgresql')('several instances on one PostgreSQL', () => {
  let db: Db;
  let url: string;
  let cleanup: () => Promise<void>;
  let proxy: Awaited<ReturnType<typeof startFaultProxy>>;

  beforeAll(async () => {
    ({ db, url, cleanup } = await createTestDb());
    await seedDemoSchool(db, log);
    proxy = await startFaultProxy(inject('prismUrl'));
  });
  afterAll(async () => {
    await proxy?.close();
    await cleanup?.();
  });

  async function queue(n: number, channel: 'sms' | 'whatsapp' = 'whatsapp') {
    const school = await db.school.findFirstOrThrow();
    const conversation = await db.conversation.upsert({
      where: { schoolId_channel_address: { schoolId: school.id, channel, address: '+31600000101' } },
      create: { schoolId: school.id, channel, address: '+31600000101' },
      update: {},
    });
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const m = await enqueue(db, {
        schoolId: school.id, conversationId: conversation.id, channel, from: DEMO_NUMBERS[channel],
        to: '+31600000101', body: `Bericht ${i} van school.`, kind: 'test',
      });
      ids.push(m.id);
    }
    return ids;
  }
  /** Successful sends the Twilio mock received, per our message id (from the status-callback URL). */
  function sendsPerMessage() {
    const counts = new Map<string, number>();
    for (const r of proxy.requests) {
      const callback = r.form.get('StatusCallback');
      const id = callback ? new URL(callback).searchParams.get('messageId') : null;
      if (id && r.answeredWith >= 200 && r.answeredWith < 300) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  }

  it('skips a row another worker holds locked instead of waiting for it, and sends it once it is free', async () => {
    proxy.requests.length = 0;
    const [locked, ...others] = await queue(4);
    const holder = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await holder.connect();
    const schema = new URL(url).searchParams.get('schema')!;
    await holder.query('BEGIN');
    await holder.query(`SELECT id FROM ${pg.escapeIdentifier(schema)}."Message" WHERE id = $1 FOR UPDATE`, [locked]);
    const sender = createTwilioSender({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN, publicBaseUrl: TEST_BASE_URL, apiBaseUrl: proxy.url });
    const worker = new OutboxWorker(db, sender, log, { perSecond: { sms: 1000, whatsapp: 1000 } });
    try {
      expect(await worker.runOnce()).toBe(3); // did not block on the locked row
      expect((await db.message.findUniqueOrThrow({ where: { id: locked! } })).status).toBe('queued');
      for (const id of others) expect((await db.message.findUniqueOrThrow({ where: { id } })).status).toBe('sent');
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    expect(await worker.runOnce()).toBe(1);
    expect((await db.message.findUniqueOrThrow({ where: { id: locked! } })).status).toBe('sent');
    expect([...sendsPerMessage().values()].every((n) => n === 1)).toBe(true);
  });

  it('stores a webhook retried at two instances at the same moment once, and both answer with the same reply', async () => {
    const { createDb } = await import('../src/db/client.js');
    const { InboundHandler } = await import('../src/conversation/inbound.js');
    const { sharedClassifier } = await import('./helpers/runtime.js');
    const { messageSid } = await import('./helpers/twilioSigning.js');
    const { kb, classifier, absence } = await sharedClassifier();
    const instances = [createDb(url), createDb(url)];
    try {
      const event = { type: 'message' as const, channel: 'sms' as const, provider: 'twilio' as const, providerId: messageSid(), from: '+31600000105', to: DEMO_NUMBERS.sms, body: 'Hoe laat begint de school?', receivedAt: new Date() };
      const outcomes = await Promise.all(instances.map((i) => new InboundHandler(i, classifier, kb, absence, log).handle(event)));
      const replies = outcomes.map((o) => (o.kind === 'handled' ? o.replies.map((r) => r.body) : []));
      expect(replies[0]).toHaveLength(1);
      expect(replies[1]).toEqual(replies[0]);
      expect(await db.message.count({ where: { providerId: event.providerId } })).toBe(1);
      expect(await db.message.count({ where: { direction: 'outbound', replyTo: { providerId: event.providerId } } })).toBe(1);
    } finally {
      await Promise.all(instances.map((i) => i.$disconnect()));
    }
  }, 120_000);

  it('sends 300 messages exactly once with three worker processes racing for them', async () => {
    proxy.requests.length = 0;
    const ids = await queue(300);
    const env = { ...process.env, DATABASE_URL: url, TWILIO_API_BASE_URL: proxy.url };
    const results = await Promise.all([0, 1, 2].map(() => run('npx', ['tsx', 'test/helpers/outboxProcess.ts'], { env, timeout: 170_000 })));
    const sentBy = results.map((r) => (JSON.parse(r.stdout) as { sent: number }).sent);
    expect(sentBy.reduce((a, b) => a + b, 0)).toBe(300);
    expect(sentBy.filter((n) => n > 0).length).toBeGreaterThan(1); // the work was really shared
    const sends = sendsPerMessage();
    expect(ids.filter((id) => sends.get(id) !== 1)).toEqual([]);
    expect(await db.message.count({ where: { id: { in: ids }, status: 'sent' } })).toBe(300);
  }, 180_000);

  it('keeps a sender number to its messages-per-second limit across three instances together', async () => {
    proxy.requests.length = 0;
    const PER_SECOND = 8;
    const ids = await queue(40, 'sms');
    const env = { ...process.env, DATABASE_URL: url, TWILIO_API_BASE_URL: proxy.url, OUTBOX_SMS_PER_SECOND: String(PER_SECOND) };
    const results = await Promise.all([0, 1, 2].map(() => run('npx', ['tsx', 'test/helpers/outboxProcess.ts'], { env, timeout: 170_000 })));
    expect(results.map((r) => (JSON.parse(r.stdout) as { sent: number }).sent).reduce((a, b) => a + b, 0)).toBe(40);
    const sends = sendsPerMessage();
    expect(ids.filter((id) => sends.get(id) !== 1)).toEqual([]);
    const times = proxy.requests.filter((r) => r.answeredWith === 201 && r.form.get('From') === DEMO_NUMBERS.sms).map((r) => r.at).sort((a, b) => a - b);
    expect(times).toHaveLength(40);
    // 40 messages at 8 a second need five one-second windows: the last leaves at least 4 s
    // after the first. Three instances each counting for itself (24 a second) take about 1 s.
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(3_500);
    // Fixed windows: any second of wall time overlaps at most two of them.
    const busiest = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length));
    expect(busiest).toBeLessThanOrEqual(2 * PER_SECOND);
  }, 180_000);
});
