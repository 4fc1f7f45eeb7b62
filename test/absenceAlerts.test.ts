import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { localNow } from '../src/absence/dates.js';
import { createApiToken, revokeApiToken } from '../src/api/tokens.js';
import { createTwilioSender } from '../src/channels/twilio/index.js';
import { createLogger } from '../src/logger.js';
import { OutboxWorker } from '../src/outbox/worker.js';
import { startFaultProxy } from './helpers/faultProxy.js';
import { startTestServer } from './helpers/server.js';
import { inboundParams, sign, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_BASE_URL } from './helpers/twilioSigning.js';

/**
 * The school's administration system sends absence alerts over HTTP; the outbox sends
 * them with the twilio SDK to a Prism mock of Twilio's OpenAPI contract; guardians reply
 * through the signed webhook and the replies are understood.
 */
type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let proxy: Awaited<ReturnType<typeof startFaultProxy>>;
let worker: OutboxWorker;
let token: string;
const today = () => localNow(new Date(), 'Europe/Amsterdam').date;
const EMRE = '1001'; // Ayşe Yılmaz's son (Turkish); externalId in the demo data
const SAMI = '1003'; // Mohamed El Idrissi's son (Arabic)
const DAAN = '1006';
const TURKISH_PARENT = '+31600000101';

beforeAll(async () => {
  server = await startTestServer();
  proxy = await startFaultProxy(inject('prismUrl'));
  const sender = createTwilioSender({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN, publicBaseUrl: TEST_BASE_URL, apiBaseUrl: proxy.url });
  worker = new OutboxWorker(server.db, sender, createLogger('silent'), { perSecond: { sms: 1000, whatsapp: 1000 } });
  token = (await createApiToken(server.db, 'demo-regenboog', 'administratie')).token;
});
afterAll(async () => {
  await proxy.close();
  await server.close();
});
beforeEach(async () => {
  const db = server.db;
  await db.alertDelivery.deleteMany();
  await db.absenceAlert.deleteMany();
  await db.absence.deleteMany();
  await db.message.deleteMany();
  await db.ticket.deleteMany();
  await db.conversation.deleteMany();
  await db.messageTemplate.deleteMany();
  await db.guardian.updateMany({ data: { alertConsent: true } });
  proxy.requests.length = 0;
});

const api = (path: string, init: RequestInit & { auth?: string | null } = {}) =>
  fetch(`${server.url}/api/v1/schools/demo-regenboog${path}`, {
    ...init,
    headers: {
      'content-type': 'application/json',
      ...(init.auth === null ? {} : { authorization: `Bearer ${init.auth ?? token}` }),
      ...(init.headers as Record<string, string> | undefined),
    },
  });
const alert = (students: string[], date = today()) => api('/absence-alerts', { method: 'POST', body: JSON.stringify({ date, students }) });
const reply = (body: string, from: string) => {
  const params = inboundParams(body, from);
  return server.post('/twilio/messages', params, { 'X-Twilio-Signature': sign('/twilio/messages', params) });
};

describe('authentication', () => {
  it.each([
    ['no token', null, 401],
    ['an unknown token', 'olk_not-a-real-token', 401],
  ])('refuses %s', async (_label, auth, status) => {
    const res = await api('/absences', { auth });
    expect(res.status).toBe(status);
    expect(res.headers.get('www-authenticate')).toMatch(/Bearer/);
  });

  it('refuses a revoked token and a token of another school', async () => {
    const revoked = await createApiToken(server.db, 'demo-regenboog', 'oud');
    await revokeApiToken(server.db, revoked.prefix);
    expect((await api('/absences', { auth: revoked.token })).status).toBe(401);
    await server.db.school.create({ data: { slug: 'andere-school', name: 'Andere School', kind: 'primary' } });
    const other = await createApiToken(server.db, 'andere-school', 'admin');
    expect((await api('/absences', { auth: other.token })).status).toBe(403);
  });

  it('stores only a hash of the token', async () => {
    const rows = await server.db.apiToken.findMany();
    expect(rows.every((r) => !r.tokenHash.includes(token) && r.tokenHash.length === 64)).toBe(true);
  });
});

describe('absence alerts', () => {
  it('alerts by SMS in the guardian\'s language and sends through Twilio\'s contract', async () => {
    const res = await alert([EMRE]);
    expect(res.status).toBe(201);
    const run = await res.json() as any;
    expect(run.students).toHaveLength(1);
    expect(run.students[0]).toMatchObject({ externalId: EMRE, status: 'alerted' });
    expect(run.students[0].recipients).toEqual([expect.objectContaining({ recipient: 'guardian', via: 'sms', language: 'tr', skippedReason: null })]);
    const message = await server.db.message.findFirstOrThrow({ where: { kind: 'absence_alert' } });
    expect(message).toMatchObject({ status: 'queued', toAddress: TURKISH_PARENT, channel: 'sms', language: 'tr' });
    expect(message.body).toMatch(/Emre/);
    expect(message.body).toMatch(/okul/);
    await worker.runOnce();
    expect((await server.db.message.findUniqueOrThrow({ where: { id: message.id } })).status).toBe('sent');
    expect(proxy.requests[0]?.answeredWith).toBe(201);
  });

  it('never alerts the same student and date twice', async () => {
    await alert([EMRE]);
    const again = await (await alert([EMRE, 'unknown-42'])).json() as any;
    expect(again.students[0].status).toBe('already_alerted');
    expect(again.unknownStudents).toEqual(['unknown-42']);
    expect(await server.db.message.count({ where: { kind: 'absence_alert' } })).toBe(1);
  });

  it('does not alert when the parent already reported the absence', async () => {
    const emre = await server.db.student.findFirstOrThrow({ where: { externalId: EMRE } });
    await server.db.absence.create({ data: { schoolId: emre.schoolId, studentId: emre.id, startDate: today(), endDate: today(), reason: 'sick', parentWords: 'hasta' } });
    const run = await (await alert([EMRE])).json() as any;
    expect(run.students[0].status).toBe('already_reported');
    expect(await server.db.message.count({ where: { kind: 'absence_alert' } })).toBe(0);
  });

  it('sends nothing to an opted-out or non-consenting guardian, and the staff view says so', async () => {
    const school = await server.db.school.findFirstOrThrow({ where: { slug: 'demo-regenboog' } });
    await server.db.conversation.create({ data: { schoolId: school.id, channel: 'sms', address: TURKISH_PARENT, optedOutAt: new Date() } });
    await server.db.guardian.updateMany({ where: { phone: '+31600000105' }, data: { alertConsent: false } });
    const run = await (await alert([EMRE, DAAN])).json() as any;
    const byId = Object.fromEntries(run.students.map((s: { externalId: string }) => [s.externalId, s]));
    expect(byId[EMRE]).toMatchObject({ status: 'no_recipient', recipients: [expect.objectContaining({ skippedReason: 'opted_out' })] });
    expect(byId[DAAN]).toMatchObject({ status: 'no_recipient', recipients: [expect.objectContaining({ skippedReason: 'no_consent' })] });
    expect(await server.db.message.count({ where: { kind: 'absence_alert' } })).toBe(0);
    const view = await (await api('/absence-alerts')).json() as any;
    expect(view.alerts).toHaveLength(2);
    expect(view.alerts.every((a: { nobodyReached: boolean }) => a.nobodyReached)).toBe(true);
  });

  it('uses the approved WhatsApp template outside the 24-hour window, and free text inside it', async () => {
    const school = await server.db.school.findFirstOrThrow({ where: { slug: 'demo-regenboog' } });
    await server.db.messageTemplate.create({ data: { schoolId: school.id, purpose: 'absence_alert', language: 'tr', contentSid: 'HXaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' } });
    await server.db.messageTemplate.create({ data: { schoolId: school.id, purpose: 'absence_alert', language: 'ar', contentSid: 'HXbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' } });
    // Mohamed wrote on WhatsApp an hour ago: his window is open.
    await server.db.conversation.create({ data: { schoolId: school.id, channel: 'whatsapp', address: '+31600000102', lastInboundAt: new Date(Date.now() - 3600_000) } });
    const run = await (await alert([EMRE, SAMI])).json() as any;
    const via = Object.fromEntries(run.students.map((s: { externalId: string; recipients: { via: string }[] }) => [s.externalId, s.recipients[0]!.via]));
    expect(via).toEqual({ [EMRE]: 'whatsapp_template', [SAMI]: 'whatsapp_session' });
    await worker.runOnce();
    const sent = proxy.requests.map((r) => ({ to: r.form.get('To'), contentSid: r.form.get('ContentSid'), body: r.form.get('Body'), status: r.answeredWith }));
    expect(sent).toContainEqual({ to: `whatsapp:${TURKISH_PARENT}`, contentSid: 'HXaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', body: null, status: 201 });
    expect(sent).toContainEqual(expect.objectContaining({ to: 'whatsapp:+31600000102', contentSid: null, status: 201 }));
    expect(sent.find((s) => s.to === 'whatsapp:+31600000102')?.body).toMatch(/سامي|Sami/);
  });

  it('alerts an adult student themselves, and their parents only with consent', async () => {
    const emre = await server.db.student.findFirstOrThrow({ where: { externalId: EMRE } });
    await server.db.student.update({ where: { id: emre.id }, data: { birthDate: new Date('2000-01-01'), phone: '+31600000199', language: 'nl' } });
    try {
      const run = await (await alert([EMRE])).json() as any;
      expect(run.students[0].recipients).toEqual([
        expect.objectContaining({ recipient: 'student', via: 'sms', language: 'nl' }),
        expect.objectContaining({ recipient: 'guardian', skippedReason: 'adult_student' }),
      ]);
      const message = await server.db.message.findFirstOrThrow({ where: { kind: 'absence_alert' } });
      expect(message).toMatchObject({ toAddress: '+31600000199' });
      expect(message.body).toMatch(/^Basisschool De Regenboog: je bent niet op school/);
    } finally {
      await server.db.student.update({ where: { id: emre.id }, data: { birthDate: null, phone: null, language: null } });
    }
  });

  it('rejects a bad request with the field that is wrong', async () => {
    const res = await api('/absence-alerts', { method: 'POST', body: JSON.stringify({ date: '2026-13-45', students: [] }) });
    expect(res.status).toBe(400);
    const body = await res.json() as any;
    expect(body.problems.map((p: { field: string }) => p.field).sort()).toEqual(['date', 'students']);
    const future = await api('/absence-alerts', { method: 'POST', body: JSON.stringify({ date: '2099-01-01', students: [EMRE] }) });
    expect(future.status, await future.text()).toBe(400);
    expect((await api('/absence-alerts', { method: 'POST', body: '{not json' })).status).toBe(400);
  });
});

describe('replies to an alert', () => {
  it('"he is sick" becomes an absence report for that child, visible as JSON and CSV and acknowledgeable', async () => {
    await alert([EMRE]);
    const res = await reply('Emre hasta, bugün evde kalıyor', TURKISH_PARENT);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/Emre/);
    const delivery = await server.db.alertDelivery.findFirstOrThrow({ where: { messageId: { not: null } } });
    expect(delivery).toMatchObject({ outcome: 'absence' });
    expect(delivery.repliedAt).not.toBeNull();

    const list = await (await api(`/absences?date=${today()}`)).json() as any;
    expect(list.absences).toEqual([expect.objectContaining({ externalId: EMRE, reason: 'sick', source: 'alert_reply', status: 'reported', reportedBy: 'Ayşe Yılmaz' })]);
    const csv = await api(`/absences?date=${today()}&format=csv`);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await csv.text()).replace(/^\uFEFF/, '').trim().split('\n');
    expect(lines[0]).toMatch(/^id,studentId,externalId,student,class/);
    expect(lines[1]).toContain('Emre Yılmaz');

    const ack = await api(`/absences/${list.absences[0].id}/acknowledge`, { method: 'POST', body: JSON.stringify({ by: 'Henk' }) });
    expect(ack.status).toBe(200);
    expect(await ack.json()).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'Henk' });
    const again = await api(`/absences/${list.absences[0].id}/acknowledge`, { method: 'POST', body: JSON.stringify({ by: 'Henk' }) });
    expect(again.status).toBe(409);
  });

  it('"I dropped him off myself" opens an urgent case for that child at once', async () => {
    await alert([EMRE]);
    const res = await reply('ben onu bu sabah okula kendim bıraktım!', TURKISH_PARENT);
    expect(await res.text()).toMatch(/112/);
    const ticket = await server.db.ticket.findFirstOrThrow();
    const emre = await server.db.student.findFirstOrThrow({ where: { externalId: EMRE } });
    expect(ticket).toMatchObject({ kind: 'urgent', studentId: emre.id, status: 'open' });
    expect(await server.db.absence.count()).toBe(0);
    expect((await server.db.alertDelivery.findFirstOrThrow({ where: { messageId: { not: null } } })).outcome).toBe('urgent');
  });

  it('anything else is forwarded, and staff can list the alerts nobody answered', async () => {
    await alert([EMRE, SAMI]);
    await reply('kim bu mesajı gönderdi? öğretmenle konuşmak istiyorum', TURKISH_PARENT);
    expect((await server.db.ticket.findFirstOrThrow()).kind).toBe('forward');
    const unanswered = await (await api('/absence-alerts?unanswered=true')).json() as any;
    expect(unanswered.alerts.map((a: { externalId: string }) => a.externalId)).toEqual([SAMI]);
  });
});

