import { readdirSync } from 'node:fs';
import type { Request, Response } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_NUMBERS } from '../src/demo/seed.js';
import { createLogger } from '../src/logger.js';
import { createMetrics, metricsAccess } from '../src/observability/metrics.js';
import { migrationsDirFor, migrationsTableFor } from '../src/observability/readiness.js';
import { enqueue } from '../src/outbox/outbox.js';
import { SendError, type Sender } from '../src/outbox/sender.js';
import { OutboxWorker } from '../src/outbox/worker.js';
import { parentSms } from './helpers/browser.js';
import { TEST_DIALECT } from './helpers/db.js';
import { startTestServer } from './helpers/server.js';
import { inboundParams, sign } from './helpers/twilioSigning.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
const log = createLogger('silent');
const METRICS_TOKEN = 'metrics-token-0123456789';

/** The demo parents used here: none of their numbers may ever show up in /metrics. */
const PARENTS = { dutch: '+31600000105', turkish: '+31600000101', stranger: '+31699998877' };

describe('GET /metrics', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startTestServer();
  }, 180_000); // the first one trains the classifier: slow on a busy machine
  afterAll(async () => server.close());

  it('counts inbound messages by channel, route and language, reads outbox and tickets from the database, and carries no personal data', async () => {
    await parentSms(server, PARENTS.dutch, 'Wat kost de ouderbijdrage?');
    await parentSms(server, PARENTS.dutch, 'Hoe hoog is de ouderbijdrage?');
    await parentSms(server, PARENTS.turkish, 'oğlum bugün hasta');
    await parentSms(server, PARENTS.stranger, 'Mijn zoon wordt gepest door een klasgenoot, kan de leerkracht mij bellen?');
    // A queued outbound message (an alert or staff reply waiting for the worker).
    const conversation = await server.db.conversation.findFirstOrThrow({ where: { address: PARENTS.dutch } });
    await enqueue(server.db, {
      schoolId: conversation.schoolId, conversationId: conversation.id, channel: 'sms', from: DEMO_NUMBERS.sms, to: PARENTS.dutch,
      body: 'Een bericht van school.', kind: 'test',
    });
    await server.db.message.updateMany({ where: { status: 'queued' }, data: { createdAt: new Date(Date.now() - 90_000) } });

    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();

    expect(text).toMatch(/^ouderlijn_inbound_messages_total\{channel="sms",route="answer",language="nl"\} 2$/m);
    expect(text).toMatch(/^ouderlijn_inbound_messages_total\{channel="sms",route="absence",language="tr"\} 1$/m);
    expect(text).toMatch(/^ouderlijn_inbound_messages_total\{channel="sms",route="(forward|urgent)",language="nl"\} 1$/m);
    expect(text).toMatch(/^ouderlijn_outbox_messages\{channel="sms",status="queued"\} 1$/m);
    expect(text).toMatch(/^ouderlijn_outbox_messages\{channel="whatsapp",status="queued"\} 0$/m);
    const age = Number(/^ouderlijn_outbox_oldest_queued_age_seconds\{channel="sms"\} (\S+)$/m.exec(text)?.[1]);
    expect(age).toBeGreaterThanOrEqual(89);
    const openTickets = await server.db.ticket.groupBy({ by: ['kind'], where: { status: 'open' }, _count: { _all: true } });
    expect(openTickets.length).toBeGreaterThan(0);
    for (const t of openTickets) expect(text).toMatch(new RegExp(`^ouderlijn_tickets_open\\{kind="${t.kind}"\\} ${t._count._all}$`, 'm'));
    expect(text).toMatch(/^ouderlijn_tickets_oldest_open_age_seconds\{kind="forward"\} /m);
    expect(text).toMatch(/^ouderlijn_staff_notices_last7d\{channel="\w+",status="queued"\} \d+$/m);
    expect(text).toMatch(/^ouderlijn_metrics_database_up 1$/m);
    // Default process metrics, from this app's own registry.
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);

    // No phone number (with or without +, masked or not), name or message text anywhere.
    for (const phone of Object.values(PARENTS)) {
      expect(text).not.toContain(phone.slice(1));
      expect(text).not.toContain(phone.slice(-6));
    }
    expect(text).not.toContain(DEMO_NUMBERS.sms.slice(1));
    for (const word of ['ouderbijdrage', 'hasta', 'gepest', 'Sanne', 'Yılmaz', 'Daan']) expect(text).not.toContain(word);
    // Every label value of our own metrics is a short closed-set word.
    for (const line of text.split('\n').filter((l) => l.startsWith('ouderlijn_'))) {
      for (const [, value] of line.matchAll(/="([^"]*)"/g)) expect(value).toMatch(/^[a-z0-9_]{1,24}$/);
    }
  });

  it('counts a retried webhook as "replayed", not as a second message', async () => {
    const params = inboundParams('Wat kost de ouderbijdrage?', PARENTS.dutch);
    for (let i = 0; i < 2; i++) {
      const res = await server.post('/twilio/messages', params, { 'x-twilio-signature': sign('/twilio/messages', params) });
      expect(res.status).toBe(200);
    }
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(/^ouderlijn_inbound_messages_total\{channel="sms",route="answer",language="nl"\} 3$/m);
    expect(text).toMatch(/^ouderlijn_inbound_messages_total\{channel="sms",route="replayed",language="unknown"\} 1$/m);
  });

  it('counts failed sends by provider error code (the outbox worker reports into the same registry)', async () => {
    const metrics = createMetrics({ db: server.db, log, defaultMetrics: false });
    const failures = [
      new SendError('Attempt to send to unsubscribed recipient', false, '21610', 400),
      new SendError('Too Many Requests', true, '20429', 429),
      new SendError('network error: socket hang up', true, null, null),
      new SendError('Service Unavailable', true, null, 503),
    ];
    const sender: Sender = async () => {
      throw failures.shift()!;
    };
    const worker = new OutboxWorker(server.db, sender, log, { perSecond: { sms: 1000, whatsapp: 1000 }, metrics });
    await server.db.message.updateMany({ where: { status: 'queued' }, data: { status: 'failed' } });
    const conversation = await server.db.conversation.findFirstOrThrow({ where: { address: PARENTS.turkish } });
    for (let i = 0; i < 4; i++) {
      await enqueue(server.db, {
        schoolId: conversation.schoolId, conversationId: conversation.id, channel: 'sms', from: DEMO_NUMBERS.sms, to: PARENTS.turkish,
        body: `Bericht ${i}`, kind: 'test', essential: true,
      });
    }
    expect(await worker.runOnce()).toBe(4);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^ouderlijn_send_errors_total\{channel="sms",code="21610",retryable="false"\} 1$/m);
    expect(text).toMatch(/^ouderlijn_send_errors_total\{channel="sms",code="20429",retryable="true"\} 1$/m);
    expect(text).toMatch(/^ouderlijn_send_errors_total\{channel="sms",code="network",retryable="true"\} 1$/m);
    expect(text).toMatch(/^ouderlijn_send_errors_total\{channel="sms",code="http_503",retryable="true"\} 1$/m);
    expect(text).not.toContain(PARENTS.turkish.slice(1));
  });
});

describe('who may read /metrics', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startTestServer({ app: { config: { METRICS_TOKEN } } });
  }, 180_000); // the first one trains the classifier: slow on a busy machine
  afterAll(async () => server.close());

  it('with METRICS_TOKEN: only with the bearer token', async () => {
    const none = await fetch(`${server.url}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await none.text()).not.toMatch(/ouderlijn_/);
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: METRICS_TOKEN } })).status).toBe(401);
    const ok = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/^ouderlijn_metrics_database_up 1$/m);
  });

  it('without a token: loopback clients only, and not through a proxy', () => {
    const check = metricsAccess(undefined);
    const attempt = (remoteAddress: string, headers: Record<string, string> = {}) => {
      let status = 0;
      let passed = false;
      const req = { socket: { remoteAddress }, get: (h: string) => headers[h.toLowerCase()] } as unknown as Request;
      const res = { status(s: number) { status = s; return this; }, type() { return this; }, set() { return this; }, send() { return this; } } as unknown as Response;
      check(req, res, () => { passed = true; });
      return passed ? 'served' : status;
    };
    expect(attempt('127.0.0.1')).toBe('served');
    expect(attempt('::1')).toBe('served');
    expect(attempt('::ffff:127.0.0.1')).toBe('served');
    expect(attempt('10.0.0.7')).toBe(403);
    expect(attempt('192.168.1.20')).toBe(403);
    expect(attempt('::ffff:203.0.113.9')).toBe(403);
    expect(attempt('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' })).toBe(403);
    expect(attempt('127.0.0.1', { forwarded: 'for=203.0.113.9' })).toBe(403);
  });

  it('METRICS_TOKEN must be at least 16 characters', async () => {
    const { loadConfig } = await import('../src/config/config.js');
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: must be at least 16 characters/);
    expect(loadConfig({}).METRICS_TOKEN).toBeUndefined();
    expect(loadConfig({}).SHUTDOWN_GRACE_MS).toBe(10_000);
  });
});

describe('GET /healthz and /readyz', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startTestServer();
  }, 180_000); // the first one trains the classifier: slow on a busy machine
  afterAll(async () => server.close());

  const table = () => migrationsTableFor(server.databaseUrl);
  const migrations = () => readdirSync(migrationsDirFor(server.databaseUrl), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const recreateTable = async () => {
    await server.db.$executeRawUnsafe(`DROP TABLE IF EXISTS ${table()}`);
    // Prisma's own columns; plain SQL both SQLite and PostgreSQL accept.
    await server.db.$executeRawUnsafe(`CREATE TABLE ${table()} (
      id VARCHAR(36) PRIMARY KEY NOT NULL, checksum VARCHAR(64) NOT NULL, finished_at TIMESTAMP, migration_name VARCHAR(255) NOT NULL,
      logs TEXT, rolled_back_at TIMESTAMP, started_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, applied_steps_count INTEGER NOT NULL DEFAULT 0)`);
  };
  const record = (name: string, opts: { finished?: boolean; rolledBack?: boolean } = {}) =>
    server.db.$executeRawUnsafe(
      `INSERT INTO ${table()} (id, checksum, migration_name, finished_at, rolled_back_at) VALUES ('${name.slice(0, 20)}-${Math.random().toString(36).slice(2, 10)}', 'x', '${name}', ${opts.finished === false ? 'NULL' : 'CURRENT_TIMESTAMP'}, ${opts.rolledBack ? 'CURRENT_TIMESTAMP' : 'NULL'})`,
    );

  it('/healthz is liveness only: 200 {status: ok}', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('/readyz as the test database was made: PostgreSQL by the app\'s migration runner (ready), SQLite from the raw SQL (no history)', async () => {
    const res = await fetch(`${server.url}/readyz`);
    if (TEST_DIALECT === 'postgresql') {
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ready' });
    } else {
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ migrations: 'migrations table missing' });
    }
  });

  it('/readyz is 503 "migrations table missing" on a database never migrated by the Prisma CLI', async () => {
    await server.db.$executeRawUnsafe(`DROP TABLE IF EXISTS ${table()}`);
    const res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'unavailable', database: 'reachable', migrations: 'migrations table missing' });
  });

  it('/readyz is 503 naming the migrations not applied (failed and rolled-back ones do not count), 200 once all are', async () => {
    const names = migrations();
    expect(names.length).toBeGreaterThan(0);
    const last = names.at(-1)!;
    await recreateTable();
    for (const name of names.slice(0, -1)) await record(name);
    await record(last, { finished: false });
    let res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      status: 'unavailable', database: 'reachable',
      migrations: { missing: [last], failed: [last], applied: names.length - 1, expected: names.length },
    });

    await server.db.$executeRawUnsafe(`DELETE FROM ${table()} WHERE migration_name = '${last}'`);
    await record(last, { rolledBack: true });
    res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ migrations: { missing: [last] } });

    await record(last);
    await record('29991231000000_from_a_newer_release');
    res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', database: 'reachable', migrations: { applied: names.length, expected: names.length } });
  });
});

describe('security headers, body limits and rate limits', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startTestServer({ app: { rateLimits: { twilioPerSecond: 5, apiPerSecond: 3, teamsPerSecond: 4 } } });
  }, 180_000); // the first one trains the classifier: slow on a busy machine
  afterAll(async () => server.close());

  it('helmet headers everywhere; /staff keeps its own stricter Content-Security-Policy', async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
    expect(health.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(health.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(health.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(health.headers.get('x-powered-by')).toBeNull();

    const staff = await fetch(`${server.url}/staff/login`);
    expect(staff.status).toBe(200);
    const csp = staff.headers.get('content-security-policy');
    expect(csp).toBe("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    expect(staff.headers.get('x-content-type-options')).toBe('nosniff');
    expect(staff.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(staff.headers.get('referrer-policy')).toBe('same-origin');

    // The Twilio webhook still answers TwiML, with the headers.
    const params = inboundParams('Wat kost de ouderbijdrage?', PARENTS.dutch);
    const twiml = await server.post('/twilio/messages', params, { 'x-twilio-signature': sign('/twilio/messages', params) });
    expect(twiml.status).toBe(200);
    expect(twiml.headers.get('content-type')).toMatch(/text\/xml/);
    expect(twiml.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('an oversized webhook body gets 413 and stores nothing', async () => {
    await new Promise((r) => setTimeout(r, 1100));
    const before = await server.db.message.count();
    const params = inboundParams('x'.repeat(70 * 1024), PARENTS.dutch);
    const res = await server.post('/twilio/messages', params, { 'x-twilio-signature': sign('/twilio/messages', params) });
    expect(res.status).toBe(413);
    expect(await server.db.message.count()).toBe(before);
    // The school API and Teams have their limits too.
    const api = await fetch(`${server.url}/api/v1/schools/demo-regenboog/absences/x/acknowledge`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer olk_whatever' }, body: JSON.stringify({ by: 'x'.repeat(1_100_000) }),
    });
    expect(api.status).toBe(413);
  });

  it('Twilio webhooks: 429 with Retry-After over the per-IP rate; status callbacks may come 5x as fast', async () => {
    await new Promise((r) => setTimeout(r, 1100));
    const burst = (path: string, n: number) => Promise.all(Array.from({ length: n }, () => server.post(path, { MessageSid: 'SM1', MessageStatus: 'sent' }).then(async (r) => {
      if (r.status === 429) expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      await r.text();
      return r.status;
    })));
    const messages = await burst('/twilio/messages', 8);
    expect(messages.filter((s) => s === 429)).toHaveLength(3);
    expect(messages.filter((s) => s === 403)).toHaveLength(5); // unsigned: refused, but counted
    const statuses = await burst('/twilio/status', 30);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
  });

  it('school API: per token, with a per-IP ceiling so invented tokens do not escape it', async () => {
    await new Promise((r) => setTimeout(r, 1100));
    const call = (token: string) => fetch(`${server.url}/api/v1/schools/demo-regenboog/absences`, { headers: { authorization: `Bearer ${token}` } }).then(async (r) => {
      await r.text();
      return r.status;
    });
    const a = await Promise.all(Array.from({ length: 5 }, () => call('olk_token_a')));
    expect(a.filter((s) => s === 429)).toHaveLength(2);
    expect(a.filter((s) => s === 401)).toHaveLength(3);
    // Another token from the same address has its own bucket ...
    expect(await call('olk_token_b')).toBe(401);
    // ... but the address as a whole stops at 5x the per-token rate (15 per second).
    const many = await Promise.all(Array.from({ length: 20 }, (_, i) => call(`olk_invented_${i}`)));
    expect(many.filter((s) => s === 429).length).toBeGreaterThanOrEqual(20 - (15 - 6));
  });

  it('/api/messages: 429 over the per-IP rate', async () => {
    await new Promise((r) => setTimeout(r, 1100));
    const statuses = await Promise.all(Array.from({ length: 6 }, () => fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then(async (r) => {
      await r.text();
      return r.status;
    })));
    expect(statuses.filter((s) => s === 429)).toHaveLength(2);
  });
});

describe('outbox worker stop()', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startTestServer();
  }, 180_000); // the first one trains the classifier: slow on a busy machine
  afterAll(async () => server.close());

  async function queue(n: number) {
    const school = await server.db.school.findFirstOrThrow();
    const conversation = await server.db.conversation.upsert({
      where: { schoolId_channel_address: { schoolId: school.id, channel: 'sms', address: PARENTS.dutch } },
      create: { schoolId: school.id, channel: 'sms', address: PARENTS.dutch }, update: {},
    });
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      ids.push((await enqueue(server.db, { schoolId: school.id, conversationId: conversation.id, channel: 'sms', from: DEMO_NUMBERS.sms, to: PARENTS.dutch, body: `Bericht ${i}`, kind: 'test' })).id);
    }
    return ids;
  }
  const statusOf = async (id: string) => (await server.db.message.findUniqueOrThrow({ where: { id } })).status;

  it('finishes the send in flight, claims nothing new, and leaves the rest queued', async () => {
    const ids = await queue(3);
    let release!: () => void;
    let entered!: () => void;
    const inSender = new Promise<void>((r) => { entered = r; });
    const sent: string[] = [];
    const sender: Sender = async (m) => {
      entered();
      await new Promise<void>((r) => { release = r; });
      sent.push(m.id);
      return { providerId: `SM${'0'.repeat(31)}${sent.length}` };
    };
    const worker = new OutboxWorker(server.db, sender, log, { perSecond: { sms: 1000, whatsapp: 1000 }, pollMs: 10 });
    worker.start();
    await inSender;
    const stopped = worker.stop();
    await new Promise((r) => setTimeout(r, 50));
    release();
    await stopped;
    expect(sent).toEqual([ids[0]]);
    expect(await statusOf(ids[0]!)).toBe('sent');
    expect(await statusOf(ids[1]!)).toBe('queued');
    expect(await statusOf(ids[2]!)).toBe('queued');
    await server.db.message.deleteMany({ where: { id: { in: ids } } });
  });

  it('releases messages it claimed but never handed to the sender; a send past the deadline stays claimed for the lease', async () => {
    const ids = await queue(2);
    let entered!: (id: string) => void;
    const inSender = new Promise<string>((r) => { entered = r; });
    const sender: Sender = (m) => {
      entered(m.id);
      return new Promise(() => undefined); // the provider never answers
    };
    const worker = new OutboxWorker(server.db, sender, log, { perSecond: { sms: 1000, whatsapp: 1000 }, batchSize: 1 });
    const run = worker.runOnce();
    const hanging = await inSender;
    const claimedOnly = ids.find((id) => id !== hanging);
    // A claim that did not reach the sender yet (as when stop() comes between claim and send).
    const claim = (worker as unknown as { claim: (id: string) => Promise<boolean> }).claim.bind(worker);
    expect(await claim(claimedOnly!)).toBe(true);
    expect(await statusOf(claimedOnly!)).toBe('sending');
    await worker.stop({ timeoutMs: 100 });
    expect(await statusOf(claimedOnly!)).toBe('queued');
    const row = await server.db.message.findUniqueOrThrow({ where: { id: claimedOnly! } });
    expect(row.claimedBy).toBeNull();
    // The provider may have the hanging one: it is not released (the claim lease decides later).
    expect(await statusOf(hanging!)).toBe('sending');
    void run;
  });
});
