import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createTwilioSender, TWILIO_ERRORS } from '../src/channels/twilio/index.js';
import type { Db } from '../src/db/client.js';
import { seedDemoSchool, DEMO_NUMBERS } from '../src/demo/seed.js';
import { createLogger } from '../src/logger.js';
import { enqueue } from '../src/outbox/outbox.js';
import { OutboxWorker, type WorkerOptions } from '../src/outbox/worker.js';
import { createTestDb } from './helpers/db.js';
import { startFaultProxy } from './helpers/faultProxy.js';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_BASE_URL } from './helpers/twilioSigning.js';

const log = createLogger('silent');
let db: Db;
let cleanup: () => Promise<void>;
let proxy: Awaited<ReturnType<typeof startFaultProxy>>;
let clock: Date;

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  await seedDemoSchool(db, log);
  proxy = await startFaultProxy(inject('prismUrl'));
});
afterAll(async () => {
  await proxy.close();
  await cleanup();
});
beforeEach(async () => {
  await db.message.deleteMany();
  await db.conversation.deleteMany();
  proxy.faults.length = 0;
  proxy.requests.length = 0;
  proxy.accepted.length = 0;
  clock = new Date('2026-11-24T08:00:00Z');
});

function worker(options: Partial<WorkerOptions> = {}) {
  const sender = createTwilioSender({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN, publicBaseUrl: TEST_BASE_URL, apiBaseUrl: proxy.url });
  // Rate limits get their own test below; elsewhere they would only slow the retries down.
  return new OutboxWorker(db, sender, log, { now: () => clock, random: () => 0.5, baseDelayMs: 1000, maxAttempts: 4, perSecond: { sms: 1000, whatsapp: 1000 }, ...options });
}

async function queued(opts: { channel?: 'sms' | 'whatsapp'; essential?: boolean; optedOut?: boolean } = {}) {
  const school = await db.school.findFirstOrThrow();
  const channel = opts.channel ?? 'sms';
  const conversation = await db.conversation.create({
    data: { schoolId: school.id, channel, address: '+31600000101', optedOutAt: opts.optedOut ? clock : null },
  });
  return enqueue(db, {
    schoolId: school.id, conversationId: conversation.id, channel, from: DEMO_NUMBERS[channel], to: '+31600000101',
    body: 'Goedemorgen, dit is een bericht van school.', kind: 'test', essential: opts.essential ?? false,
  });
}

const reload = (id: string) => db.message.findUniqueOrThrow({ where: { id } });
/** Advances the test clock past any backoff, then runs the worker once. */
async function later(w: OutboxWorker, ms = 60 * 60_000) {
  clock = new Date(clock.getTime() + ms);
  return w.runOnce();
}

describe('outbox against the Prism mock of Twilio', () => {
  it('sends no faster than the sender number allows, and keeps the rest queued', async () => {
    const first = await queued();
    const ids = [first.id];
    for (let i = 0; i < 4; i++) {
      ids.push((await enqueue(db, {
        schoolId: first.schoolId, conversationId: first.conversationId, channel: 'sms', from: DEMO_NUMBERS.sms, to: '+31600000101', body: `bericht ${i}`, kind: 'test',
      })).id);
    }
    expect(await worker({ perSecond: { sms: 2, whatsapp: 80 } }).runOnce()).toBe(2);
    const statuses = await Promise.all(ids.map(async (id) => (await reload(id)).status));
    expect(statuses.filter((s) => s === 'sent')).toHaveLength(2);
    expect(statuses.filter((s) => s === 'queued')).toHaveLength(3);
    expect(proxy.requests).toHaveLength(2);
  });

  it('sends a WhatsApp template by its Content SID, with its variables and no free text', async () => {
    const school = await db.school.findFirstOrThrow();
    const conversation = await db.conversation.create({ data: { schoolId: school.id, channel: 'whatsapp', address: '+31600000101' } });
    const m = await enqueue(db, {
      schoolId: school.id, conversationId: conversation.id, channel: 'whatsapp', from: DEMO_NUMBERS.whatsapp, to: '+31600000101',
      body: 'rendered text for staff', kind: 'absence_alert', template: { contentSid: 'HX0123456789abcdef0123456789abcdef', variables: { 1: 'Emre', 2: 'dinsdag 24 november' } },
    });
    expect(await worker().runOnce()).toBe(1);
    expect((await reload(m.id)).status).toBe('sent');
    const [req] = proxy.requests;
    expect(req?.answeredWith).toBe(201);
    expect(req?.form.get('ContentSid')).toBe('HX0123456789abcdef0123456789abcdef');
    expect(JSON.parse(req?.form.get('ContentVariables') ?? '{}')).toEqual({ 1: 'Emre', 2: 'dinsdag 24 november' });
    expect(req?.form.get('Body')).toBeNull();
    expect(req?.form.get('To')).toBe('whatsapp:+31600000101');
  });

  it('sends a queued SMS with the twilio SDK and records the provider SID', async () => {
    const m = await queued();
    expect(await worker().runOnce()).toBe(1);
    const after = await reload(m.id);
    expect(after.status).toBe('sent');
    expect(after.providerId).toMatch(/^(SM|MM)[0-9a-fA-F]{32}$/);
    expect(after.attempts).toBe(1);
    const [req] = proxy.requests;
    expect(req?.answeredWith).toBe(201); // Prism validated the request against Twilio's contract
    expect(req?.path).toBe(`/2010-04-01/Accounts/${TEST_ACCOUNT_SID}/Messages.json`);
    expect(req?.form.get('To')).toBe('+31600000101');
    expect(req?.form.get('From')).toBe(DEMO_NUMBERS.sms);
    expect(req?.form.get('StatusCallback')).toBe(`${TEST_BASE_URL}/twilio/status?messageId=${m.id}`);
  });

  it('sends WhatsApp with whatsapp: addresses', async () => {
    await queued({ channel: 'whatsapp' });
    await worker().runOnce();
    expect(proxy.requests[0]?.form.get('To')).toBe('whatsapp:+31600000101');
    expect(proxy.requests[0]?.form.get('From')).toBe(`whatsapp:${DEMO_NUMBERS.whatsapp}`);
  });

  it('retries after 429 with backoff, then succeeds', async () => {
    proxy.faults.push({ status: 429, body: { code: 20429, message: 'Too Many Requests' } });
    const m = await queued();
    const w = worker();
    await w.runOnce();
    const waiting = await reload(m.id);
    expect(waiting.status).toBe('queued');
    expect(waiting.errorCode).toBe('20429');
    expect(waiting.nextAttemptAt!.getTime()).toBe(clock.getTime() + 1000);
    expect(await w.runOnce()).toBe(0); // not due yet
    await later(w, 1000);
    const after = await reload(m.id);
    expect(after.status).toBe('sent');
    expect(after.attempts).toBe(2);
    expect(proxy.requests.map((r) => r.answeredWith)).toEqual([429, 201]);
  });

  it.each([
    [TWILIO_ERRORS.UNSUBSCRIBED_RECIPIENT, 'Attempt to send to unsubscribed recipient'],
    [TWILIO_ERRORS.NOT_A_MOBILE, "'To' number is not a valid mobile number"],
    [TWILIO_ERRORS.INVALID_TO_NUMBER, "The 'To' number is not a valid phone number."],
  ])('fails permanently on error %i without retrying', async (code, message) => {
    proxy.faults.push({ status: 400, body: { code, message } });
    const m = await queued();
    const w = worker();
    await w.runOnce();
    await later(w);
    const after = await reload(m.id);
    expect(after.status).toBe('failed');
    expect(after.errorCode).toBe(String(code));
    expect(after.statusReason).toContain(message);
    expect(proxy.requests).toHaveLength(1);
  });

  it('gives up after the last attempt when Twilio keeps answering 500', async () => {
    for (let i = 0; i < 4; i++) proxy.faults.push({ status: 500, body: { code: 20500, message: 'Internal Server Error' } });
    const m = await queued();
    const w = worker();
    for (let i = 0; i < 6; i++) await later(w);
    const after = await reload(m.id);
    expect(after.status).toBe('failed');
    expect(after.attempts).toBe(4);
    expect(after.statusReason).toMatch(/gave up after 4 attempts/);
    expect(proxy.requests).toHaveLength(4);
  });

  it('retries a network error', async () => {
    proxy.faults.push({ status: 0, hangUp: true });
    const m = await queued();
    const w = worker();
    await w.runOnce();
    expect((await reload(m.id)).statusReason).toMatch(/network error/);
    await later(w);
    expect((await reload(m.id)).status).toBe('sent');
  });

  it('loses nothing when a worker dies between claim and send', async () => {
    const m = await queued();
    // A worker claimed the row and died: it stays 'sending' with no provider id.
    await db.message.update({ where: { id: m.id }, data: { status: 'sending', claimedAt: clock, claimedBy: 'worker-dead' } });
    const w = worker({ claimLeaseMs: 60_000 });
    expect(await w.runOnce()).toBe(0); // the claim is still within its lease
    await later(w, 61_000);
    const after = await reload(m.id);
    expect(after.status).toBe('sent');
    expect(after.sendInDoubtSince).toBeNull();
    // First a look at Twilio's list (the dead worker may have handed it over), then one send.
    expect(proxy.requests.map((r) => `${r.path.includes('?') ? 'GET' : 'POST'} ${r.answeredWith}`)).toEqual(['GET 200', 'POST 201']);
  });

  it('does not send again a message Twilio accepted just before its worker died (found in Twilio\'s list)', async () => {
    const m = await queued();
    proxy.options.listAccepted = true;
    try {
      // The dead worker's last act: Twilio accepted the message, then SIGKILL before the row said so.
      const began = new Date();
      const sender = createTwilioSender({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN, publicBaseUrl: TEST_BASE_URL, apiBaseUrl: proxy.url });
      const { providerId } = await sender({ id: m.id, channel: 'sms', from: m.fromAddress, to: m.toAddress, body: m.body });
      await db.message.update({ where: { id: m.id }, data: { status: 'sending', claimedAt: began, claimedBy: 'worker-dead' } });
      clock = new Date(began.getTime() + 61_000);
      await worker({ claimLeaseMs: 60_000 }).runOnce();
      const after = await reload(m.id);
      expect({ status: after.status, providerId: after.providerId, sendInDoubtSince: after.sendInDoubtSince }).toEqual({ status: 'sent', providerId, sendInDoubtSince: null });
      expect(proxy.requests.filter((r) => r.answeredWith === 201)).toHaveLength(1); // the dead worker's only
    } finally {
      proxy.options.listAccepted = false;
    }
  });

  it('sends again when Twilio\'s list holds only other texts to that parent', async () => {
    const m = await queued();
    proxy.options.listAccepted = true;
    try {
      const began = new Date();
      const sender = createTwilioSender({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN, publicBaseUrl: TEST_BASE_URL, apiBaseUrl: proxy.url });
      await sender({ id: 'other', channel: 'sms', from: m.fromAddress, to: m.toAddress, body: 'Een ander bericht van school.' });
      await db.message.update({ where: { id: m.id }, data: { status: 'sending', claimedAt: began, claimedBy: 'worker-dead' } });
      clock = new Date(began.getTime() + 61_000);
      await worker({ claimLeaseMs: 60_000 }).runOnce();
      expect((await reload(m.id)).status).toBe('sent');
      expect(proxy.accepted.filter((a) => a.body === m.body)).toHaveLength(1);
    } finally {
      proxy.options.listAccepted = false;
    }
  });

  it('does not resend a claimed message that Twilio already accepted (callback arrived)', async () => {
    const m = await queued();
    await db.message.update({ where: { id: m.id }, data: { status: 'sending', claimedAt: clock, providerId: `SM${'b'.repeat(32)}` } });
    await later(worker({ claimLeaseMs: 60_000 }), 61_000);
    expect(proxy.requests).toHaveLength(0);
  });

  it('sends a message only while it is still queued', async () => {
    const m = await queued();
    await db.message.update({ where: { id: m.id }, data: { status: 'failed', statusReason: 'cancelled by staff' } });
    expect(await worker().runOnce()).toBe(0);
    expect(proxy.requests).toHaveLength(0);
  });

  it('two workers never send the same message twice', async () => {
    const ids = await Promise.all([1, 2, 3, 4, 5].map(() => queued().then((m) => m.id).catch(() => null)));
    await Promise.all([worker().runOnce(), worker().runOnce()]);
    const sent = await db.message.count({ where: { status: 'sent' } });
    expect(sent).toBe(ids.filter(Boolean).length);
    expect(proxy.requests).toHaveLength(sent);
  });

  it('does not send a non-essential message to an opted-out number, but does send an essential one', async () => {
    const normal = await queued({ optedOut: true });
    await worker().runOnce();
    expect((await reload(normal.id)).status).toBe('failed');
    expect((await reload(normal.id)).statusReason).toMatch(/opted_out/);
    expect(proxy.requests).toHaveLength(0);
    await db.conversation.deleteMany();
    const essential = await queued({ optedOut: true, essential: true });
    await worker().runOnce();
    expect((await reload(essential.id)).status).toBe('sent');
  });
});
