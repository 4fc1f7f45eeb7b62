/**
 * Fault tests (issue 6, item 9): the gateway killed in the middle of an alert run, Twilio
 * failing for a while, the database unreachable. Each runs on the suite's database
 * (SQLite, and PostgreSQL with TEST_DATABASE=postgresql).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { localNow } from '../src/absence/dates.js';
import { createApiToken } from '../src/api/tokens.js';
import { createTwilioSender } from '../src/channels/twilio/index.js';
import { InboundHandler } from '../src/conversation/inbound.js';
import { ReplyComposer } from '../src/conversation/replies.js';
import { createDb, type Db } from '../src/db/client.js';
import { seedDemoSchool } from '../src/demo/seed.js';
import { HandoffDesk } from '../src/handoff/desk.js';
import { createApp } from '../src/http/app.js';
import { createLogger } from '../src/logger.js';
import { enqueue } from '../src/outbox/outbox.js';
import { DEFAULT_WORKER_OPTIONS, OutboxWorker, type WorkerOptions } from '../src/outbox/worker.js';
import { createBulkSchool, type BulkSchool } from './helpers/bulkSchool.js';
import { createTestDb, TEST_DIALECT, type TestDb } from './helpers/db.js';
import { startFaultProxy } from './helpers/faultProxy.js';
import { killGateway, startGateway, type GatewayProcess } from './helpers/gatewayProcess.js';
import { sharedClassifier } from './helpers/runtime.js';
import { startTcpProxy } from './helpers/tcpProxy.js';
import { inboundParams, messageSid, sign, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_BASE_URL } from './helpers/twilioSigning.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type FaultProxy = Awaited<ReturnType<typeof startFaultProxy>>;

/** The message id our StatusCallback URL carries (so a request can be matched to its row). */
function messageIdOf(form: URLSearchParams): string | null {
  const callback = form.get('StatusCallback');
  return callback ? new URL(callback).searchParams.get('messageId') : null;
}

/** Successful sends (Twilio answered 201) the proxy saw, grouped by a key. */
function successesBy(proxy: FaultProxy, key: (form: URLSearchParams) => string | null): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of proxy.requests) {
    if (r.answeredWith !== 201) continue;
    const k = key(r.form) ?? '(none)';
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

async function until<T>(what: string, deadlineMs: number, probe: () => Promise<T | null | undefined | false>, everyMs = 250): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

describe('fault: SIGKILL in the middle of a 1,000-student absence alert, then a restart', () => {
  const STUDENTS = 1000;
  /** SIGKILL once this many alerts reached Twilio (the proxy answered 201) during the request … */
  const KILL_WHILE_QUEUING = 2;
  /** … or this many, if the request finished first. */
  const KILL_AFTER_SENT = 25;
  let t: TestDb;
  let school: BulkSchool;
  let token: string;
  let proxy: FaultProxy;
  let gateway: GatewayProcess | null = null;

  beforeAll(async () => {
    t = await createTestDb();
    school = await createBulkSchool(t.db, { students: STUDENTS });
    token = (await createApiToken(t.db, school.slug, 'administratie')).token;
    proxy = await startFaultProxy(inject('prismUrl'));
    proxy.options.listAccepted = true; // Twilio's list shows what it accepted (see faultProxy.ts)
  }, 60_000);
  afterEach(async () => {
    await killGateway(gateway);
    gateway = null;
  });
  afterAll(async () => {
    await proxy?.close();
    await t?.cleanup();
  });

  const start = () => startGateway({
    databaseUrl: t.url, twilioApiBaseUrl: proxy.url,
    // As fast as the worker can go, so the kill finds sends in progress.
    env: { OUTBOX_SMS_PER_SECOND: '1000', OUTBOX_POLL_MS: '50' },
  });
  const postAlerts = (g: GatewayProcess, date: string) => fetch(`${g.url}/api/v1/schools/${school.slug}/absence-alerts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ date, students: school.externalIds }),
  });

  it('every guardian gets exactly one alert, also the one whose send was in flight at the kill', async () => {
    const { db } = t;
    const date = localNow(new Date(), 'Europe/Amsterdam').date;
    const sent201 = () => proxy.requests.filter((r) => r.answeredWith === 201).length;

    // 1. Start, ask for 1,000 alerts, SIGKILL while they are being queued and sent: as soon as
    //    KILL_WHILE_QUEUING alerts reached Twilio with the request still running (chunks of 200
    //    commit one by one and the worker sends in between), or, should the request have
    //    finished first, once KILL_AFTER_SENT did.
    gateway = await start();
    const g1 = gateway;
    let firstDone = false;
    const postStarted = Date.now();
    const first = postAlerts(g1, date).then(
      async (res) => ({ status: res.status, body: await res.text() }),
      (err: Error) => ({ status: 0, body: String(err.cause ?? err) }),
    ).finally(() => { firstDone = true; });
    // How long the process takes to answer /healthz meanwhile (each probe on a new connection).
    let healthMaxMs = 0;
    let probing = true;
    const probe = (async () => {
      while (probing) {
        const a = Date.now();
        const ok = await fetch(`${g1.url}/healthz`, { headers: { connection: 'close' } }).then(() => true, () => false);
        if (ok) healthMaxMs = Math.max(healthMaxMs, Date.now() - a);
        await sleep(50);
      }
    })();
    await until('alerts to reach Twilio', 90_000, async () => (!firstDone && sent201() >= KILL_WHILE_QUEUING) || sent201() >= KILL_AFTER_SENT, 2);
    const postRunningAtKill = !firstDone;
    g1.proc.kill('SIGKILL');
    const killed = await g1.exited;
    probing = false;
    await probe;
    expect(killed.signal).toBe('SIGKILL');
    const atKill = {
      sent: sent201(),
      postRunning: postRunningAtKill,
      msIntoPost: Date.now() - postStarted,
      healthMaxMs,
      alertsCommitted: await db.absenceAlert.count({ where: { schoolId: school.schoolId } }),
      messagesCommitted: await db.message.count({ where: { schoolId: school.schoolId, kind: 'absence_alert' } }),
      sentRecorded: await db.message.count({ where: { schoolId: school.schoolId, kind: 'absence_alert', status: 'sent' } }),
      claimed: await db.message.count({ where: { schoolId: school.schoolId, kind: 'absence_alert', status: 'sending' } }),
    };
    const firstAnswer = await first;

    // A dead worker's claims are re-queued by the next worker once the claim lease has passed
    // (src/outbox/worker.ts, 2 minutes). Rather than wait, the test ages them by the lease:
    // the same as a restart that came that much later.
    await db.message.updateMany({
      where: { schoolId: school.schoolId, status: 'sending' },
      data: { claimedAt: new Date(Date.now() - DEFAULT_WORKER_OPTIONS.claimLeaseMs - 1000) },
    });

    // 2. Restart; the school's system retries the same request.
    gateway = await start();
    const retry = await postAlerts(gateway, date);
    expect(retry.status, gateway.output().slice(-3000)).toBe(201);
    const run = await retry.json() as { students: { externalId: string; status: string }[]; unknownStudents: string[] };
    expect(run.unknownStudents).toEqual([]);
    expect(run.students).toHaveLength(STUDENTS);
    const statuses = new Map<string, number>();
    for (const s of run.students) statuses.set(s.status, (statuses.get(s.status) ?? 0) + 1);
    // What the first run committed is "already alerted", the rest is alerted now.
    expect(statuses.get('already_alerted') ?? 0).toBe(atKill.alertsCommitted);
    expect((statuses.get('alerted') ?? 0) + (statuses.get('already_alerted') ?? 0)).toBe(STUDENTS);

    // 3. Let the outbox finish.
    await until('every alert to be sent', 120_000, async () => {
      const open = await db.message.count({ where: { schoolId: school.schoolId, kind: 'absence_alert', status: { in: ['queued', 'sending'] } } });
      return open === 0;
    }, 500);

    // The database: one alert per student, one delivery and one message per guardian, all sent.
    expect(await db.absenceAlert.count({ where: { schoolId: school.schoolId, date } })).toBe(STUDENTS);
    expect(await db.alertDelivery.count({ where: { alert: { schoolId: school.schoolId }, messageId: { not: null } } })).toBe(STUDENTS);
    const rows = await db.message.findMany({
      where: { schoolId: school.schoolId, kind: 'absence_alert' }, select: { id: true, toAddress: true, status: true },
    });
    expect(rows).toHaveLength(STUDENTS);
    expect(new Set(rows.map((m) => m.toAddress)).size).toBe(STUDENTS);
    expect(rows.filter((m) => m.status !== 'sent')).toEqual([]);

    // Twilio: per guardian number and per message row, how often it accepted a message.
    const byPhone = successesBy(proxy, (f) => f.get('To'));
    const byMessage = successesBy(proxy, messageIdOf);
    const rowIds = new Set(rows.map((m) => m.id));
    const ghosts = [...byMessage.keys()].filter((id) => !rowIds.has(id)); // sent for a row that no longer exists
    const twice = [...byPhone.entries()].filter(([, n]) => n > 1);
    const report = {
      dialect: t.dialect, atKill, firstAnswer: { status: firstAnswer.status, body: firstAnswer.body.slice(0, 200) },
      secondRun: Object.fromEntries(statuses), twilioAccepted: sent201(), guardiansReachedTwice: twice.length, ghostSends: ghosts.length,
      foundAtTwilioAfterRestart: (gateway.output().match(/already at the provider/g) ?? []).length,
    };
    console.log('SIGKILL fault:', JSON.stringify(report));
    for (const phone of school.guardianPhones.values()) expect(byPhone.get(phone) ?? 0, phone).toBeGreaterThanOrEqual(1);
    for (const id of rowIds) expect(byMessage.get(id) ?? 0, id).toBeGreaterThanOrEqual(1);
    expect(ghosts, JSON.stringify(report)).toEqual([]);
    // The message in flight at the kill: Twilio accepted it, the row still said `sending`. The
    // restarted worker recovers the claim and finds it in Twilio's list instead of sending it
    // again (src/channels/twilio/send.ts), so no guardian is reached twice.
    const inFlightAccepted = atKill.sent - atKill.sentRecorded;
    const foundAtTwilio = (gateway.output().match(/already at the provider/g) ?? []).length;
    expect(foundAtTwilio, JSON.stringify(report)).toBe(inFlightAccepted);
    expect(twice, JSON.stringify(report)).toEqual([]);
    expect(sent201()).toBe(STUDENTS);
  }, 180_000);
});

describe('fault: Twilio answers 500 and 429 for a while', () => {
  const MESSAGES = 50;
  let t: TestDb;
  let school: BulkSchool;
  let proxy: FaultProxy;
  const log = createLogger('silent');

  beforeAll(async () => {
    t = await createTestDb();
    school = await createBulkSchool(t.db, { students: MESSAGES, slug: 'twilio-faults' });
    proxy = await startFaultProxy(inject('prismUrl'));
  }, 60_000);
  afterAll(async () => {
    await proxy?.close();
    await t?.cleanup();
  });
  beforeEach(async () => {
    await t.db.message.deleteMany();
    await t.db.conversation.deleteMany();
    proxy.faults.length = 0;
    proxy.requests.length = 0;
  });

  /** One queued SMS per guardian of the school. */
  async function queueOnePerGuardian(): Promise<string[]> {
    const ids: string[] = [];
    for (const phone of school.guardianPhones.values()) {
      const conversation = await t.db.conversation.create({ data: { schoolId: school.schoolId, channel: 'sms', address: phone } });
      const m = await enqueue(t.db, {
        schoolId: school.schoolId, conversationId: conversation.id, channel: 'sms', from: school.smsNumber, to: phone,
        body: 'Goedemorgen, dit is een bericht van school.', kind: 'test',
      });
      ids.push(m.id);
    }
    return ids;
  }

  /** Real clock, short backoff: a retry is due within tens of milliseconds. */
  function worker(options: Partial<WorkerOptions> = {}) {
    const sender = createTwilioSender({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN, publicBaseUrl: TEST_BASE_URL, apiBaseUrl: proxy.url });
    return new OutboxWorker(t.db, sender, log, { baseDelayMs: 20, maxDelayMs: 200, maxAttempts: 8, perSecond: { sms: 1000, whatsapp: 1000 }, ...options });
  }

  /** Runs the workers side by side (as two instances would) until nothing is queued or sending. */
  async function drain(workers: OutboxWorker[], deadlineMs = 60_000) {
    const deadline = Date.now() + deadlineMs;
    const open = () => t.db.message.count({ where: { status: { in: ['queued', 'sending'] } } });
    await Promise.all(workers.map(async (w) => {
      while ((await open()) > 0) {
        if (Date.now() > deadline) throw new Error('the outbox did not drain in time');
        await w.runOnce();
        await sleep(5);
      }
    }));
  }

  /** Each message sent exactly once; its attempts are its refused requests plus that one. */
  async function expectEachSentOnce(ids: string[]) {
    const rows = await t.db.message.findMany({ where: { id: { in: ids } } });
    expect(rows.filter((m) => m.status !== 'sent').map((m) => `${m.id}: ${m.status} ${m.statusReason}`)).toEqual([]);
    const ok = successesBy(proxy, messageIdOf);
    const refused = new Map<string, number>();
    for (const r of proxy.requests) {
      if (r.answeredWith === 201) continue;
      const id = messageIdOf(r.form) ?? '(none)';
      refused.set(id, (refused.get(id) ?? 0) + 1);
    }
    for (const m of rows) {
      expect(ok.get(m.id) ?? 0, m.id).toBe(1);
      expect(m.providerId).toMatch(/^(SM|MM)[0-9a-fA-F]{32}$/);
      expect(m.attempts, m.id).toBe((refused.get(m.id) ?? 0) + 1);
      // A message that went out carries no failure from an earlier attempt (the school API
      // and the staff inbox show statusReason as the reason it failed).
      expect({ statusReason: m.statusReason, errorCode: m.errorCode }, m.id).toEqual({ statusReason: null, errorCode: null });
    }
    expect([...ok.keys()].sort()).toEqual([...ids].sort());
    return { refused: [...refused.values()].reduce((a, b) => a + b, 0), maxAttempts: Math.max(...rows.map((m) => m.attempts)) };
  }

  it('the first 100 requests refused (500, 429, 503): two workers send every message exactly once, none fails', async () => {
    const ids = await queueOnePerGuardian();
    const faults = [
      { status: 500, body: { code: 20500, message: 'Internal Server Error' } },
      { status: 429, body: { code: 20429, message: 'Too Many Requests' } },
      { status: 503, body: { code: 20503, message: 'Service Unavailable' } },
    ];
    for (let i = 0; i < 100; i++) proxy.faults.push(faults[i % faults.length]!);
    await drain([worker(), worker()]);
    expect(proxy.faults).toHaveLength(0); // every fault was served
    const { refused, maxAttempts } = await expectEachSentOnce(ids);
    expect(refused).toBe(100);
    expect(maxAttempts).toBeLessThanOrEqual(8);
    expect(proxy.requests.filter((r) => r.answeredWith === 201)).toHaveLength(MESSAGES);
  }, 120_000);

  it('an outage (every request refused until each message was refused at least once, >= 1.5 s): every message goes out once it ends', async () => {
    const ids = await queueOnePerGuardian();
    // The fault proxy serves faults in order: a deep queue of them is an outage until cleared.
    for (let i = 0; i < 100_000; i++) proxy.faults.push(i % 2 ? { status: 429, body: { code: 20429, message: 'Too Many Requests' } } : { status: 500, body: { code: 20500, message: 'Internal Server Error' } });
    const began = Date.now();
    const outage = until('every message to be refused once', 60_000, async () => {
      const refusedIds = new Set(proxy.requests.filter((r) => r.answeredWith !== 201).map((r) => messageIdOf(r.form)));
      return refusedIds.size === MESSAGES && Date.now() - began >= 1500;
    }, 20).then(() => { proxy.faults.length = 0; });
    await drain([worker({ baseDelayMs: 50, maxDelayMs: 800, maxAttempts: 12 })]);
    await outage;
    const { refused } = await expectEachSentOnce(ids);
    expect(refused).toBeGreaterThanOrEqual(MESSAGES);
    expect(await t.db.message.count({ where: { status: 'failed' } })).toBe(0);
  }, 120_000);
});

describe('fault: the database is briefly unreachable while Twilio webhooks arrive', () => {
  const PARENT = '+31600000105'; // Sanne de Vries, mother of Daan (demo school)
  const FORWARD = 'Hoe gaat het met Daan in de klas? Ik maak me zorgen over zijn cijfers.'; // a ticket and an acknowledgement
  const QUESTION = 'Hoe laat begint de school?'; // a curated answer
  let t: TestDb;
  /** The app's own client: through the TCP proxy on PostgreSQL, its own connection on SQLite. */
  let appDb: Db;
  let tcp: Awaited<ReturnType<typeof startTcpProxy>> | null = null;
  let server: http.Server;
  let url: string;
  const log = createLogger('silent');

  beforeAll(async () => {
    const { kb, classifier, absence } = await sharedClassifier();
    t = await createTestDb();
    await seedDemoSchool(t.db, log);
    if (t.dialect === 'postgresql') {
      const direct = new URL(t.url);
      tcp = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
      const viaProxy = new URL(t.url);
      viaProxy.hostname = tcp.host;
      viaProxy.port = String(tcp.port);
      appDb = createDb(viaProxy.toString()); // same database and ?schema=
    } else {
      appDb = createDb(t.url);
    }
    const app = createApp({
      config: { PUBLIC_BASE_URL: TEST_BASE_URL, TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN, DATABASE_URL: t.url },
      db: appDb, inbound: new InboundHandler(appDb, classifier, kb, absence, log), kb, log,
      desk: new HandoffDesk(appDb, new ReplyComposer(kb), null),
      rateLimits: { twilioPerSecond: 1_000_000, apiPerSecond: 1_000_000, teamsPerSecond: 1_000_000 },
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 120_000);
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await appDb?.$disconnect().catch(() => undefined);
    await tcp?.close();
    await t?.cleanup();
  });

  /** A signed inbound SMS as Twilio posts it; the same sid is a retry of the same message. */
  async function webhook(sid: string, body: string) {
    const params = inboundParams(body, PARENT, undefined, sid);
    const res = await fetch(`${url}/twilio/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sign('/twilio/messages', params) },
      body: new URLSearchParams(params).toString(),
    });
    return { status: res.status, text: await res.text() };
  }

  /** What a reader of the database sees (the test's own connection, never through the proxy). */
  async function stored(sid: string) {
    const inbound = await t.db.message.findMany({ where: { providerId: sid, direction: 'inbound' }, include: { replies: true } });
    return { inbound: inbound.length, replies: inbound.flatMap((m) => m.replies).length };
  }
  async function totals() {
    return {
      messages: await t.db.message.count(), tickets: await t.db.ticket.count(), notices: await t.db.staffNotification.count(),
    };
  }
  /**
   * Half-written data: an inbound message without exactly one reply, or a forwarded one without
   * its ticket. The inbound path writes them in one transaction, so there must be none.
   */
  async function halfWritten() {
    const inbound = await t.db.message.findMany({ where: { direction: 'inbound' }, include: { replies: true } });
    return inbound
      .filter((m) => m.replies.length !== 1 || (m.route === 'forward' && !m.ticketId))
      .map((m) => ({ sid: m.providerId, route: m.route, replies: m.replies.length, ticketId: m.ticketId }));
  }
  /** After an outage: the retry of the same MessageSid is answered and the message stored once. */
  async function expectRetryStoredOnce(sid: string, body: string) {
    const retry = await webhook(sid, body);
    expect(retry.status, retry.text).toBe(200);
    expect(retry.text).toMatch(/<Response><Message[^>]*>[^<]+<\/Message><\/Response>/);
    expect(await stored(sid)).toEqual({ inbound: 1, replies: 1 });
    const again = await webhook(sid, body); // Twilio may retry once more: the same answer, nothing new
    expect(again).toEqual(retry);
    expect(await stored(sid)).toEqual({ inbound: 1, replies: 1 });
  }

  describe.runIf(TEST_DIALECT === 'postgresql')('PostgreSQL behind a TCP proxy that is cut', () => {
    it('cut: the webhook answers 5xx and stores nothing; restored: the same MessageSid is answered 200 and stored once', async () => {
      expect((await webhook(messageSid(), QUESTION)).status).toBe(200); // the pool is connected
      const before = await totals();
      tcp!.cut();
      const sid = messageSid();
      const during = await webhook(sid, FORWARD);
      expect(during.status, during.text).toBeGreaterThanOrEqual(500);
      expect((await fetch(`${url}/readyz`)).status).toBe(503);
      expect(await totals()).toEqual(before);
      expect(await stored(sid)).toEqual({ inbound: 0, replies: 0 });
      tcp!.restore();
      await expectRetryStoredOnce(sid, FORWARD);
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      expect(await halfWritten()).toEqual([]);
    }, 60_000);

    it('a cut at every point of the request (inside the transaction, at COMMIT, and after COMMIT with the answer lost) leaves nothing half-written, and the retry is stored once', async () => {
      const outcomes = { cutPoints: 0, answered5xx: 0, answered200: 0, committedButAnswerLost: 0 };
      for (const [body, deliver] of [[FORWARD, false], [FORWARD, true], [QUESTION, false], [QUESTION, true]] as const) {
        for (let n = 1; n <= 200; n++) {
          const sid = messageSid();
          const cutsBefore = tcp!.cuts();
          tcp!.cutAt(n, { deliver });
          const res = await webhook(sid, body);
          const fired = tcp!.cuts() > cutsBefore;
          tcp!.restore();
          if (!fired) {
            // The request needed fewer than n chunks: every cut point of it has been tried.
            expect(res.status, res.text).toBe(200);
            break;
          }
          outcomes.cutPoints++;
          if (res.status === 200) outcomes.answered200++;
          else {
            expect(res.status, res.text).toBeGreaterThanOrEqual(500);
            outcomes.answered5xx++;
          }
          expect(await halfWritten(), `cut at chunk ${n} (deliver ${deliver})`).toEqual([]);
          if (res.status !== 200 && (await stored(sid)).inbound === 1) outcomes.committedButAnswerLost++;
          await expectRetryStoredOnce(sid, body);
        }
      }
      console.log('database cut sweep (PostgreSQL):', JSON.stringify(outcomes));
      // A forwarded message's request is some 30 statements, a curated answer's some 18.
      expect(outcomes.cutPoints).toBeGreaterThan(60);
      expect(outcomes.answered5xx).toBeGreaterThan(0);
      // The cut that falls on COMMIT's answer: committed, the app never heard, Twilio retries.
      expect(outcomes.committedButAnswerLost).toBeGreaterThan(0);
    }, 120_000);
  });

  describe.runIf(TEST_DIALECT === 'sqlite')('SQLite locked by another process', () => {
    /** Another connection to the same file, as a backup, the sqlite3 shell or a CLI would hold it. */
    function otherConnection() {
      return new Database(t.url.slice('file:'.length));
    }

    it('an exclusive lock: the webhook answers 5xx once the busy timeout passes and stores nothing; released: the retry is stored once', async () => {
      expect((await webhook(messageSid(), QUESTION)).status).toBe(200);
      const before = await totals();
      const locker = otherConnection();
      locker.exec('BEGIN EXCLUSIVE');
      const sid = messageSid();
      let during: { status: number; text: string };
      try {
        during = await webhook(sid, FORWARD);
      } finally {
        locker.exec('ROLLBACK');
        locker.close();
      }
      expect(during.status, during.text).toBeGreaterThanOrEqual(500);
      expect(await totals()).toEqual(before);
      expect(await stored(sid)).toEqual({ inbound: 0, replies: 0 });
      await expectRetryStoredOnce(sid, FORWARD);
      expect(await halfWritten()).toEqual([]);
    }, 60_000);

    it('a read lock held past the busy timeout makes the COMMIT fail: 5xx, nothing stored, and the app is not left inside the failed transaction', async () => {
      expect((await webhook(messageSid(), QUESTION)).status).toBe(200);
      const before = await totals();
      // Another process starts reading (a backup, the sqlite3 shell) just as the webhook's
      // transaction begins: its SHARED lock keeps the COMMIT from the EXCLUSIVE lock it needs
      // (rollback journal), so after the busy timeout COMMIT itself fails with SQLITE_BUSY.
      // Taken from a one-shot hook on the app's $transaction, because the writes before the
      // transaction (the conversation upsert) would otherwise be the ones to fail.
      const reader = otherConnection();
      const transaction = appDb.$transaction.bind(appDb);
      appDb.$transaction = ((...args: Parameters<typeof transaction>) => {
        appDb.$transaction = transaction;
        reader.exec('BEGIN');
        reader.prepare('SELECT count(*) FROM "Message"').get();
        return transaction(...args);
      }) as typeof transaction;
      const sid = messageSid();
      let during: { status: number; text: string };
      try {
        during = await webhook(sid, FORWARD);
      } finally {
        appDb.$transaction = transaction;
        if (reader.inTransaction) reader.exec('COMMIT');
        reader.close();
      }
      expect(during.status, during.text).toBeGreaterThanOrEqual(500);
      // Another connection can read again at once (the app holds no lock) and sees nothing of it.
      const fresh = otherConnection();
      try {
        expect(fresh.prepare('SELECT count(*) AS n FROM "Message" WHERE "providerId" = ?').get(sid)).toEqual({ n: 0 });
      } finally {
        fresh.close();
      }
      expect(await totals()).toEqual(before);
      await expectRetryStoredOnce(sid, FORWARD);
      expect(await halfWritten()).toEqual([]);
      // And what the app writes afterwards is really committed.
      const later = messageSid();
      expect((await webhook(later, QUESTION)).status).toBe(200);
      const check = otherConnection();
      try {
        expect(check.prepare('SELECT count(*) AS n FROM "Message" WHERE "providerId" IN (?, ?)').get(sid, later)).toEqual({ n: 2 });
      } finally {
        check.close();
      }
    }, 60_000);
  });
});
