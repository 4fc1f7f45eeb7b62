import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../src/api/tokens.js';
import type { Db } from '../src/db/client.js';
import { DEMO_NUMBERS, seedDemoSchool } from '../src/demo/seed.js';
import { Notifier } from '../src/handoff/notifier.js';
import { createLogger } from '../src/logger.js';
import { OutboxWorker } from '../src/outbox/worker.js';
import { SendError } from '../src/outbox/sender.js';
import { eraseGuardianData } from '../src/privacy/erasure.js';
import { exportGuardianData } from '../src/privacy/export.js';
import { runRetention } from '../src/privacy/retention.js';
import { createTestDb } from './helpers/db.js';
import { startTestServer } from './helpers/server.js';
import { inboundParams, messageSid, sign } from './helpers/twilioSigning.js';

/**
 * Privacy by design (issue 6): retention, export and erasure of one number's data, the
 * school API for them, and no personal data in info logs.
 */

const SANNE = '+31600000105'; // Sanne de Vries, mother of Daan (groep 7)
const AYSE = '+31600000101'; // Ayşe Yılmaz, mother of Emre and Elif
const ANNA = '+31600000103'; // Anna Kowalska, mother of Zofia
const UNKNOWN = '+31612345678';
const OPTED_OUT_UNKNOWN = '+31612345699';
const DAY = 86_400_000;

describe('retention on pinned dates', () => {
  // Today is 1 December 2027; the demo school keeps content 365 days and the audit log 730.
  const NOW = new Date('2027-12-01T03:00:00Z');
  const OLD = new Date('2026-06-01T10:00:00Z'); // 548 days ago
  const RECENT = new Date('2027-11-20T10:00:00Z');
  const ANCIENT = new Date('2025-06-01T10:00:00Z'); // older than the audit period too
  let db: Db;
  let cleanup: () => Promise<void>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    ({ db, cleanup } = await createTestDb());
    await seedDemoSchool(db, createLogger('silent'));
    const school = await db.school.findUniqueOrThrow({ where: { slug: 'demo-regenboog' } });
    const sanne = await db.guardian.findFirstOrThrow({ where: { phone: SANNE } });
    const anna = await db.guardian.findFirstOrThrow({ where: { phone: ANNA } });
    const daan = await db.student.findFirstOrThrow({ where: { firstName: 'Daan' } });
    const zofia = await db.student.findFirstOrThrow({ where: { firstName: 'Zofia' } });
    const staff = await db.staff.findFirstOrThrow({ where: { role: 'director' } });
    const conv = (address: string, guardianId: string | null, extra: object = {}) => db.conversation.create({
      data: { schoolId: school.id, channel: 'sms', address, guardianId, lastInboundAt: OLD, ...extra },
    });
    const sanneConv = await conv(SANNE, sanne.id, { pendingMore: '{"language":"nl","parts":["deel 2"]}', updatedAt: OLD });
    const annaConv = await conv(ANNA, anna.id);
    const unknownConv = await conv(UNKNOWN, null, { updatedAt: OLD });
    const optedOutConv = await conv(OPTED_OUT_UNKNOWN, null, { optedOutAt: OLD, updatedAt: OLD });
    ids.sanneConv = sanneConv.id;
    ids.unknownConv = unknownConv.id;
    ids.optedOutConv = optedOutConv.id;

    const closedTicket = await db.ticket.create({ data: { schoolId: school.id, conversationId: sanneConv.id, kind: 'forward', status: 'closed', language: 'nl', studentId: daan.id, createdAt: OLD, closedAt: OLD } });
    const openTicket = await db.ticket.create({ data: { schoolId: school.id, conversationId: annaConv.id, kind: 'forward', status: 'open', language: 'pl', studentId: zofia.id, createdAt: OLD } });
    const msg = (conversationId: string, address: string, data: Record<string, unknown>) => db.message.create({
      data: {
        schoolId: school.id, conversationId, channel: 'sms',
        direction: 'inbound', fromAddress: address, toAddress: DEMO_NUMBERS.sms, status: 'received', ...data,
      } as never,
    });
    const out = (conversationId: string, address: string, data: Record<string, unknown>) =>
      msg(conversationId, address, { direction: 'outbound', fromAddress: DEMO_NUMBERS.sms, toAddress: address, status: 'delivered', ...data });

    ids.oldInbound = (await msg(sanneConv.id, SANNE, { body: 'Daan is ziek', route: 'absence', createdAt: OLD })).id;
    ids.oldReply = (await out(sanneConv.id, SANNE, { body: 'Daan afwezig op maandag', kind: 'ack_absence', segments: 1, createdAt: OLD })).id;
    ids.oldStaffReply = (await out(sanneConv.id, SANNE, {
      body: 'Juf Elif, De Regenboog: Daan mag morgen weer komen', sourceBody: 'Daan mag morgen weer komen', kind: 'staff_reply',
      contentSid: 'HX123', contentVariables: '{"1":"Daan"}', ticketId: closedTicket.id, createdAt: OLD,
    })).id;
    ids.oldQueued = (await out(sanneConv.id, SANNE, { body: 'nog niet verstuurd over Daan', status: 'queued', createdAt: OLD })).id;
    ids.recentInbound = (await msg(sanneConv.id, SANNE, { body: 'Daan is weer beter', route: 'absence', createdAt: RECENT })).id;
    ids.openTicketInbound = (await msg(annaConv.id, ANNA, { body: 'Zofia heeft problemen in de klas', route: 'forward', ticketId: openTicket.id, createdAt: OLD })).id;
    ids.unknownInbound = (await msg(unknownConv.id, UNKNOWN, { body: 'mijn kind is ziek', route: 'absence', createdAt: OLD })).id;
    ids.optedOutInbound = (await msg(optedOutConv.id, OPTED_OUT_UNKNOWN, { body: 'STOP', route: 'optout', createdAt: OLD })).id;

    const absence = (data: Record<string, unknown>) => db.absence.create({
      data: { schoolId: school.id, startDate: '2026-06-01', endDate: '2026-06-01', reason: 'sick', ...data } as never,
    });
    ids.oldAbsence = (await absence({ studentId: daan.id, guardianId: sanne.id, conversationId: sanneConv.id, parentWords: 'Daan is ziek', createdAt: OLD })).id;
    ids.recentAbsence = (await absence({ studentId: daan.id, guardianId: sanne.id, conversationId: sanneConv.id, parentWords: 'Daan is weer ziek', startDate: '2027-11-20', endDate: '2027-11-20', createdAt: RECENT })).id;
    ids.openTicketAbsence = (await absence({ studentId: zofia.id, guardianId: anna.id, conversationId: annaConv.id, parentWords: 'Zofia ziek', createdAt: OLD })).id;

    await db.staffSession.createMany({ data: [
      { staffId: staff.id, tokenHash: 'expired', csrfToken: 'x', expiresAt: new Date(NOW.getTime() - DAY) },
      { staffId: staff.id, tokenHash: 'valid', csrfToken: 'y', expiresAt: new Date(NOW.getTime() + DAY) },
    ] });
    await db.auditEvent.createMany({ data: [
      { schoolId: school.id, staffId: staff.id, action: 'view_ticket', ticketId: closedTicket.id, createdAt: ANCIENT },
      { schoolId: school.id, staffId: staff.id, action: 'view_ticket', ticketId: closedTicket.id, createdAt: OLD },
    ] });
  });
  afterAll(async () => cleanup());

  const statistics = async () => ({
    messages: await db.message.count(),
    byRoute: (await db.message.groupBy({ by: ['direction', 'route', 'kind', 'status'], _count: { _all: true }, _sum: { segments: true }, orderBy: [{ direction: 'asc' }, { route: 'asc' }, { kind: 'asc' }, { status: 'asc' }] })),
    absences: await db.absence.count(),
    tickets: await db.ticket.count(),
  });

  it('a dry run reports what would go and changes nothing', async () => {
    const before = await db.message.findMany({ orderBy: { id: 'asc' } });
    const report = await runRetention(db, { now: NOW, dryRun: true });
    expect(report.total).toEqual({ messages: 5, absences: 1, pendingState: 1, anonymisedConversations: 1, notifications: 0, auditEvents: 1 });
    expect(report.expiredSessions).toBe(1);
    expect(await db.message.findMany({ orderBy: { id: 'asc' } })).toEqual(before);
    expect(await db.staffSession.count()).toBe(2);
  });

  it('blanks old content, keeps recent and open-ticket messages, and keeps every count', async () => {
    const stats = await statistics();
    const report = await runRetention(db, { now: NOW, batchSize: 2 });
    expect(report.total).toEqual({ messages: 5, absences: 1, pendingState: 1, anonymisedConversations: 1, notifications: 0, auditEvents: 1 });
    expect(report.schools[0]).toMatchObject({ school: 'demo-regenboog', retentionDays: 365, auditRetentionDays: 730, cutoff: '2026-12-01T03:00:00.000Z' });
    const get = (id: string) => db.message.findUniqueOrThrow({ where: { id } });

    for (const id of [ids.oldInbound!, ids.oldReply!, ids.oldStaffReply!, ids.unknownInbound!, ids.optedOutInbound!]) {
      const m = await get(id);
      expect(m).toMatchObject({ body: '', sourceBody: null, contentVariables: null, purgedAt: NOW });
    }
    expect(await get(ids.oldInbound!)).toMatchObject({ route: 'absence', status: 'received', direction: 'inbound' });
    expect(await get(ids.oldReply!)).toMatchObject({ kind: 'ack_absence', status: 'delivered', segments: 1 });
    expect(await get(ids.oldStaffReply!)).toMatchObject({ kind: 'staff_reply', contentSid: 'HX123' });
    expect(await get(ids.recentInbound!)).toMatchObject({ body: 'Daan is weer beter', purgedAt: null });
    expect(await get(ids.openTicketInbound!)).toMatchObject({ body: 'Zofia heeft problemen in de klas', purgedAt: null });
    expect(await get(ids.oldQueued!)).toMatchObject({ body: 'nog niet verstuurd over Daan', purgedAt: null });

    expect(await db.absence.findUniqueOrThrow({ where: { id: ids.oldAbsence! } })).toMatchObject({ parentWords: '', reason: 'sick', startDate: '2026-06-01' });
    expect((await db.absence.findUniqueOrThrow({ where: { id: ids.recentAbsence! } })).parentWords).toBe('Daan is weer ziek');
    expect((await db.absence.findUniqueOrThrow({ where: { id: ids.openTicketAbsence! } })).parentWords).toBe('Zofia ziek');

    expect(await db.conversation.findUniqueOrThrow({ where: { id: ids.sanneConv! } })).toMatchObject({ address: SANNE, pendingMore: null, pendingAbsence: null });
    // An unknown number silent for a year loses the number; one that sent STOP keeps it (the opt-out must hold).
    expect((await db.conversation.findUniqueOrThrow({ where: { id: ids.unknownConv! } })).address).toBe(`erased:${ids.unknownConv}`);
    expect((await get(ids.unknownInbound!)).fromAddress).toBe('erased');
    expect((await db.conversation.findUniqueOrThrow({ where: { id: ids.optedOutConv! } })).address).toBe(OPTED_OUT_UNKNOWN);

    expect((await db.staffSession.findMany()).map((s) => s.tokenHash)).toEqual(['valid']);
    expect((await db.auditEvent.findMany()).map((a) => a.createdAt)).toEqual([new Date('2026-06-01T10:00:00Z')]);

    // Statistics: the same rows, routes, kinds, statuses and segments as before.
    expect(await statistics()).toEqual(stats);
  });

  it('is idempotent: a second run finds nothing', async () => {
    const report = await runRetention(db, { now: NOW });
    expect(report.total).toEqual({ messages: 0, absences: 0, pendingState: 0, anonymisedConversations: 0, notifications: 0, auditEvents: 0 });
    expect(report.expiredSessions).toBe(0);
  });

  it('honours a school\'s longer period and never goes below 30 days', async () => {
    await db.school.update({ where: { slug: 'demo-regenboog' }, data: { retentionDays: 5, auditRetentionDays: 5 } });
    const report = await runRetention(db, { now: NOW, dryRun: true });
    expect(report.schools[0]).toMatchObject({ retentionDays: 30, auditRetentionDays: 30 });
    // 20 November 2027 is 11 days ago: still inside the 30-day floor.
    expect(report.total.messages).toBe(0);
    await db.school.update({ where: { slug: 'demo-regenboog' }, data: { retentionDays: 365, auditRetentionDays: 730 } });
  });
});

describe('export and erasure through the school API', () => {
  type Server = Awaited<ReturnType<typeof startTestServer>>;
  let server: Server;
  let token: string;
  let otherToken: string;
  const lines: string[] = [];
  const MONDAY_0740 = new Date('2026-11-23T06:40:00Z');

  const api = (path: string, init: { method?: string; body?: unknown; auth?: string } = {}) => fetch(`${server.url}/api/v1/schools${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${init.auth ?? token}`, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = async (body: string, from: string, at = MONDAY_0740) => {
    const outcome = await server.inbound.handle({ type: 'message', channel: 'sms', provider: 'twilio', providerId: messageSid(), from, to: DEMO_NUMBERS.sms, body, receivedAt: at });
    if (outcome.kind !== 'handled') throw new Error('not handled');
    return outcome;
  };
  const webhook = async (body: string, from: string) => {
    const params = inboundParams(body, from);
    const res = await server.post('/twilio/messages', params, { 'x-twilio-signature': sign('/twilio/messages', params) });
    expect(res.status).toBe(200);
  };

  beforeAll(async () => {
    const log = createLogger('info', { write: (line: string) => { lines.push(line); } });
    server = await startTestServer({ log });
    token = (await createApiToken(server.db, 'demo-regenboog', 'administratie')).token;
    await server.db.school.create({ data: { slug: 'andere-school', name: 'Andere School', kind: 'primary' } });
    otherToken = (await createApiToken(server.db, 'andere-school', 'admin')).token;

    // Two families and an unknown number write in.
    await text('Daan is ziek vandaag, hij blijft thuis', SANNE);
    await text('Mijn zoon heeft dyslexie, krijgt hij extra hulp op school?', SANNE, new Date(MONDAY_0740.getTime() + 60_000));
    await text('oğlum Emre bugün hasta, okula gelemeyecek', AYSE);
    await text('mijn dochter Noor is ziek', UNKNOWN);
    await webhook('Wat kost de ouderbijdrage?', SANNE);
    await webhook('Veliler için Hollandaca kursu var mı?', AYSE);
  });
  afterAll(async () => server.close());

  it('refuses another school\'s token (403), a bad number (400 naming phone) and a missing confirmation (400 naming confirm)', async () => {
    expect((await api(`/demo-regenboog/guardians/${SANNE}/export`, { auth: otherToken })).status).toBe(403);
    expect((await api(`/demo-regenboog/guardians/${SANNE}`, { method: 'DELETE', body: { confirm: SANNE }, auth: otherToken })).status).toBe(403);
    expect((await api(`/demo-regenboog/guardians/${SANNE}/export`, { auth: 'olk_nonsense' })).status).toBe(401);

    for (const bad of ['0600000105', 'abc', '+31']) {
      const res = await api(`/demo-regenboog/guardians/${encodeURIComponent(bad)}/export`);
      expect(res.status).toBe(400);
      expect((await res.json() as any).problems).toEqual([expect.objectContaining({ field: 'phone' })]);
    }
    const badDelete = await api('/demo-regenboog/guardians/0600000105', { method: 'DELETE', body: { confirm: '0600000105' } });
    expect(badDelete.status).toBe(400);
    expect((await badDelete.json() as any).problems[0].field).toBe('phone');

    for (const body of [undefined, {}, { confirm: '' }, { confirm: AYSE }]) {
      const res = await api(`/demo-regenboog/guardians/${SANNE}`, { method: 'DELETE', ...(body !== undefined ? { body } : {}) });
      expect(res.status).toBe(400);
      expect((await res.json() as any).problems).toEqual([expect.objectContaining({ field: 'confirm' })]);
    }
    expect(await server.db.guardian.count({ where: { phone: SANNE } })).toBe(1);
    expect((await api('/demo-regenboog/guardians/+31699999999/export')).status).toBe(404);
  });

  it('exports one guardian\'s messages, children, absences and tickets, and nothing of another family', async () => {
    const res = await api(`/demo-regenboog/guardians/${encodeURIComponent(SANNE)}/export`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const data = await res.json() as any;
    expect(data.guardians).toEqual([expect.objectContaining({ name: 'Sanne de Vries', phone: SANNE, children: [expect.objectContaining({ firstName: 'Daan', class: 'groep 7' })] })]);
    const bodies = data.conversations.flatMap((c: { messages: { body: string; direction: string }[] }) => c.messages);
    expect(bodies.filter((m: { direction: string }) => m.direction === 'inbound').map((m: { body: string }) => m.body)).toEqual(expect.arrayContaining([
      'Daan is ziek vandaag, hij blijft thuis', 'Mijn zoon heeft dyslexie, krijgt hij extra hulp op school?', 'Wat kost de ouderbijdrage?',
    ]));
    expect(bodies.some((m: { direction: string }) => m.direction === 'outbound')).toBe(true);
    expect(data.absences).toEqual([expect.objectContaining({ child: 'Daan de Vries', parentWords: 'Daan is ziek vandaag, hij blijft thuis', reason: 'sick' })]);
    expect(data.tickets).toEqual([expect.objectContaining({ kind: 'forward', status: 'open' })]);

    const raw = JSON.stringify(data);
    for (const other of [AYSE, UNKNOWN, 'Ayşe', 'Emre', 'Elif', 'oğlum', 'Hollandaca', 'Noor']) expect(raw).not.toContain(other);
    const audit = await server.db.auditEvent.findFirstOrThrow({ where: { action: 'export' } });
    expect(audit.detail).toBe('{"by":"api: administratie"}');
  });

  it('erases one guardian: guardian gone, messages blanked but counted, absence kept for the school, other families untouched', async () => {
    const db = server.db;
    const school = await db.school.findUniqueOrThrow({ where: { slug: 'demo-regenboog' } });
    const sanne = await db.guardian.findFirstOrThrow({ where: { phone: SANNE } });
    const conversations = await db.conversation.findMany({ where: { guardianId: sanne.id } });
    const conversationIds = conversations.map((c) => c.id);
    const messageCount = await db.message.count({ where: { conversationId: { in: conversationIds } } });
    const ayseBefore = await exportGuardianData(db, school, AYSE);
    expect(messageCount).toBeGreaterThan(3);

    const res = await api(`/demo-regenboog/guardians/${SANNE}`, { method: 'DELETE', body: { confirm: SANNE } });
    expect(res.status).toBe(200);
    const result = await res.json() as any;
    expect(result).toMatchObject({ erased: true, guardians: 1, conversations: conversations.length, messages: messageCount, ticketsClosed: 1, tickets: 1, absences: 1 });

    expect(await db.guardian.findUnique({ where: { id: sanne.id } })).toBeNull();
    expect(await db.guardianStudent.count({ where: { guardianId: sanne.id } })).toBe(0);
    const daan = await db.student.findFirstOrThrow({ where: { firstName: 'Daan' } });
    expect(daan).toBeTruthy(); // the child's school record stays
    const messages = await db.message.findMany({ where: { conversationId: { in: conversationIds } } });
    expect(messages).toHaveLength(messageCount);
    expect(messages.every((m) => m.body === '' && m.sourceBody === null && m.purgedAt !== null && m.providerId === null)).toBe(true);
    expect(messages.every((m) => m.fromAddress !== SANNE && m.toAddress !== SANNE)).toBe(true);
    expect(messages.some((m) => m.route === 'absence')).toBe(true); // counts by route stay
    for (const c of await db.conversation.findMany({ where: { id: { in: conversationIds } } })) {
      expect(c).toMatchObject({ address: `erased:${c.id}`, guardianId: null, pendingMore: null, pendingAbsence: null });
    }
    const ticket = await db.ticket.findFirstOrThrow({ where: { conversationId: { in: conversationIds } } });
    expect(ticket).toMatchObject({ status: 'closed', closedReason: 'erasure', studentId: null, kind: 'forward' });
    const absence = await db.absence.findFirstOrThrow({ where: { studentId: daan.id } });
    expect(absence).toMatchObject({ guardianId: null, conversationId: null, messageId: null, parentWords: '', reason: 'sick', startDate: '2026-11-23' });

    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: 'erasure' } });
    expect(audit.detail).not.toMatch(/600000105|Sanne|Daan/);
    expect(JSON.parse(audit.detail!)).toMatchObject({ by: 'api: administratie', guardians: 1 });

    // Another family is untouched; the erased number has nothing left to export or erase.
    expect(await exportGuardianData(db, school, AYSE)).toEqual({ ...ayseBefore, exportedAt: expect.any(String) });
    expect((await api(`/demo-regenboog/guardians/${SANNE}/export`)).status).toBe(404);
    expect((await api(`/demo-regenboog/guardians/${SANNE}`, { method: 'DELETE', body: { confirm: SANNE } })).status).toBe(404);
  });

  it('erases an unknown number\'s conversation by phone, keeping its unverified absence for the school', async () => {
    const db = server.db;
    const conversation = await db.conversation.findFirstOrThrow({ where: { address: UNKNOWN } });
    const exported = await api(`/demo-regenboog/guardians/${UNKNOWN}/export`);
    expect(exported.status).toBe(200);
    expect((await exported.json() as any).guardians).toEqual([]);

    const result = await eraseGuardianData(db, { id: conversation.schoolId }, UNKNOWN, { requestedBy: 'cli' });
    expect(result).toMatchObject({ guardians: 0, conversations: 1 });
    expect((await db.conversation.findUniqueOrThrow({ where: { id: conversation.id } })).address).toBe(`erased:${conversation.id}`);
    const absence = await db.absence.findFirstOrThrow({ where: { source: 'unknown_number' } });
    expect(absence).toMatchObject({ conversationId: null, parentWords: '' });
    expect(await db.ticket.count({ where: { conversationId: conversation.id, status: 'open' } })).toBe(0);
    // A new message from the number starts afresh as an unknown sender.
    await text('hallo', UNKNOWN, new Date());
    expect(await db.conversation.count({ where: { address: UNKNOWN } })).toBe(1);
  });

  it('writes no phone number, message body or child\'s name to the info log', async () => {
    const db = server.db;
    const log = createLogger('info', { write: (line: string) => { lines.push(line); } });
    // The outbox: one message sent, one refused by the provider with the number in its error text.
    const conversation = await db.conversation.findFirstOrThrow({ where: { address: AYSE } });
    const school = await db.school.findUniqueOrThrow({ where: { slug: 'demo-regenboog' } });
    for (const body of ['Emre mag morgen weer komen', 'Elif heeft haar gymtas vergeten']) {
      await db.message.create({ data: {
        schoolId: school.id, conversationId: conversation.id, direction: 'outbound', channel: 'sms', fromAddress: DEMO_NUMBERS.sms, toAddress: AYSE,
        body, status: 'queued', nextAttemptAt: new Date(0),
      } });
    }
    let calls = 0;
    const worker = new OutboxWorker(db, async (m) => {
      calls++;
      if (calls === 2) throw new SendError(`The 'To' number ${m.to} is not a valid phone number. ${m.body}`.slice(0, 60), false, '21211', 400);
      return { providerId: messageSid() };
    }, log, { perSecond: { sms: 100, whatsapp: 100 } });
    await worker.runOnce();
    expect(calls).toBe(2);
    // A staff notice whose transport fails with a number in its error.
    await db.staffNotification.updateMany({ data: { channel: 'sms', status: 'queued', nextAttemptAt: new Date(0) } });
    const notifier = new Notifier(db, { sms: async () => { throw new Error(`Twilio: 'To' number ${AYSE} unreachable`); } }, log, { publicBaseUrl: 'https://ouderlijn.example.nl' });
    await notifier.runOnce();
    await runRetention(db, { log });
    // A request path with a number in it that ends in an error.
    log.error({ path: `/api/v1/schools/demo-regenboog/guardians/${encodeURIComponent(ANNA)}/export` }, 'request failed');
    // A Prisma error renders the query's arguments in its message: only its last line is logged.
    const prismaError = await db.message.create({ data: { body: 'Daan heeft koorts', fromAddress: SANNE } as never }).catch((err: unknown) => err);
    log.error({ err: prismaError }, 'inbound message failed');

    const all = lines.join('');
    expect(all).toContain('inbound message handled');
    expect(all).toContain('outbox: sent');
    expect(all).toContain('staff notice failed');
    expect(all).toContain('privacy: guardian data erased');
    expect(all).toContain('PrismaClientValidationError');
    for (const phone of [SANNE, AYSE, ANNA, UNKNOWN]) {
      const digits = phone.slice(1);
      expect(all).not.toContain(digits);
      expect(all).not.toContain(digits.slice(2)); // without the country code
    }
    for (const body of ['ziek vandaag', 'dyslexie', 'ouderbijdrage', 'Hollandaca', 'bugün', 'mag morgen', 'gymtas', 'koorts']) expect(all).not.toContain(body);
    for (const name of ['Daan', 'Emre', 'Noor', 'Zofia', 'Sanne', 'Ayşe', 'Vries', 'Yılmaz']) expect(all).not.toMatch(new RegExp(`\\b${name}\\b`, 'u'));
    // Elif is also a teacher's name ("Juf Elif"); the child's own text above must not appear.
  });
});
