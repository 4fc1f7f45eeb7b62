import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/client.js';
import { seedDemoSchool } from '../src/demo/seed.js';
import { replyDeadline, zonedInstant } from '../src/handoff/deadline.js';
import { medianFirstReply, runServiceLevel } from '../src/handoff/sla.js';
import { createTicket } from '../src/handoff/tickets.js';
import { createLogger } from '../src/logger.js';
import { createTestDb, TEST_DIALECT } from './helpers/db.js';

const log = createLogger('silent');
const AMS = 'Europe/Amsterdam';

describe('reply deadlines count school days and end at 17:00 local time', () => {
  it.each([
    ['Monday morning', '2026-11-23T09:00:00Z', 2, '2026-11-25T16:00:00.000Z'],
    ['Friday afternoon skips the weekend', '2026-11-27T14:00:00Z', 2, '2026-12-01T16:00:00.000Z'],
    ['Saturday counts from Monday', '2026-11-28T10:00:00Z', 2, '2026-12-01T16:00:00.000Z'],
    ['one school day from Thursday', '2026-11-26T09:00:00Z', 1, '2026-11-27T16:00:00.000Z'],
    ['across the switch to summer time (CEST, UTC+2)', '2026-03-26T09:00:00Z', 2, '2026-03-30T15:00:00.000Z'],
    ['Sunday late evening UTC is already Monday in Amsterdam', '2026-11-22T23:30:00Z', 2, '2026-11-25T16:00:00.000Z'],
  ])('%s', (_label, received, days, due) => {
    expect(replyDeadline(new Date(received), days, AMS).toISOString()).toBe(due);
  });

  it('converts wall-clock time in other zones too', () => {
    expect(zonedInstant('2026-07-01', '17:00', 'Europe/London').toISOString()).toBe('2026-07-01T16:00:00.000Z');
    expect(zonedInstant('2026-10-25', '17:00', AMS).toISOString()).toBe('2026-10-25T16:00:00.000Z');
  });
});

describe('service level: reminder, escalation, median first reply', () => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let url: string;
  let schoolId: string;
  let conversationId: string;
  const staffId = async (role: string) => (await db.staff.findFirstOrThrow({ where: { role } })).id;

  beforeAll(async () => {
    ({ db, cleanup, url } = await createTestDb());
    await seedDemoSchool(db, log);
    const school = await db.school.findFirstOrThrow();
    schoolId = school.id;
    conversationId = (await db.conversation.create({ data: { schoolId, channel: 'sms', address: '+31600000101' } })).id;
  });
  afterAll(async () => cleanup());
  beforeEach(async () => {
    await db.staffNotification.deleteMany();
    await db.ticket.deleteMany();
  });

  async function ticketFor(at: string) {
    return db.$transaction((tx) => createTicket(tx, { schoolId, conversationId, kind: 'forward', language: 'tr', studentId: null, topic: null, at: new Date(at) }));
  }
  const reasons = async () => (await db.staffNotification.findMany({ include: { staff: true }, orderBy: { createdAt: 'asc' } }))
    .filter((n) => n.reason !== 'assigned').map((n) => `${n.reason}:${n.staff.role}`);

  it('reminds the assignee once before the deadline, then escalates to the parent-contact worker and the director', async () => {
    // Assigned to the care coordinator so escalation goes to somebody else.
    const t = await ticketFor('2026-11-23T09:00:00Z');
    await db.ticket.update({ where: { id: t.id }, data: { assigneeId: await staffId('care_coordinator') } });
    expect(t.dueAt?.toISOString()).toBe('2026-11-25T16:00:00.000Z');

    expect(await runServiceLevel(db, new Date('2026-11-25T10:00:00Z'))).toEqual({ reminded: 0, escalated: 0 });
    expect(await runServiceLevel(db, new Date('2026-11-25T12:30:00Z'))).toEqual({ reminded: 1, escalated: 0 });
    expect(await runServiceLevel(db, new Date('2026-11-25T13:00:00Z'))).toEqual({ reminded: 0, escalated: 0 });
    expect(await reasons()).toEqual(['reminder:care_coordinator']);

    expect(await runServiceLevel(db, new Date('2026-11-25T16:01:00Z'))).toEqual({ reminded: 0, escalated: 1 });
    expect(await reasons()).toEqual(['reminder:care_coordinator', 'escalated:parent_contact']);
    // The next working day's end: the director.
    expect(await runServiceLevel(db, new Date('2026-11-26T10:00:00Z'))).toEqual({ reminded: 0, escalated: 0 });
    expect(await runServiceLevel(db, new Date('2026-11-26T16:01:00Z'))).toEqual({ reminded: 0, escalated: 1 });
    expect(await runServiceLevel(db, new Date('2026-11-27T16:01:00Z'))).toEqual({ reminded: 0, escalated: 0 });
    expect((await reasons()).slice(-1)).toEqual(['escalated:director']);
  });

  it('goes straight to the director when the late assignee is the parent-contact worker', async () => {
    await ticketFor('2026-11-23T09:00:00Z'); // no child: the parent-contact worker
    await runServiceLevel(db, new Date('2026-11-25T16:01:00Z'));
    expect(await reasons()).toEqual(['escalated:director']);
  });

  // Several instances means PostgreSQL (the PostgreSQL pass of npm test runs this): SQLite is
  // the single-process embedded default, and its deferred transactions on separate
  // connections wait on each other instead of queueing.
  it.skipIf(TEST_DIALECT === 'sqlite')('reminds and escalates once when several instances run the job at the same moment', async () => {
    const { createDb } = await import('../src/db/client.js');
    const others = [createDb(url), createDb(url), createDb(url)];
    try {
      const t = await ticketFor('2026-11-23T09:00:00Z');
      await db.ticket.update({ where: { id: t.id }, data: { assigneeId: await staffId('care_coordinator') } });
      const remind = await Promise.all(others.map((o) => runServiceLevel(o, new Date('2026-11-25T12:30:00Z'))));
      expect(remind.reduce((n, r) => n + r.reminded, 0)).toBe(1);
      const escalate = await Promise.all(others.map((o) => runServiceLevel(o, new Date('2026-11-25T16:01:00Z'))));
      expect(escalate.reduce((n, r) => n + r.escalated, 0)).toBe(1);
      expect(await reasons()).toEqual(['reminder:care_coordinator', 'escalated:parent_contact']);
    } finally {
      await Promise.all(others.map((o) => o.$disconnect()));
    }
  });

  it('does nothing once someone has answered', async () => {
    const t = await ticketFor('2026-11-23T09:00:00Z');
    await db.ticket.update({ where: { id: t.id }, data: { firstReplyAt: new Date('2026-11-23T11:00:00Z') } });
    expect(await runServiceLevel(db, new Date('2026-11-30T16:01:00Z'))).toEqual({ reminded: 0, escalated: 0 });
  });

  it('reports the median time to first reply per school', async () => {
    const since = new Date('2026-11-01T00:00:00Z');
    expect(await medianFirstReply(db, schoolId, since)).toEqual({ answered: 0, unanswered: 0, medianMs: null });
    for (const hours of [1, 3, 10]) {
      const t = await ticketFor('2026-11-23T09:00:00Z');
      await db.ticket.update({ where: { id: t.id }, data: { firstReplyAt: new Date(Date.parse('2026-11-23T09:00:00Z') + hours * 3_600_000) } });
    }
    await ticketFor('2026-11-23T09:00:00Z');
    expect(await medianFirstReply(db, schoolId, since)).toEqual({ answered: 3, unanswered: 1, medianMs: 3 * 3_600_000 });
  });
});

describe('the school API reports the service level', () => {
  it('gives the median first-reply time and what is overdue now, for the token\'s school only', async () => {
    const { startTestServer } = await import('./helpers/server.js');
    const { createApiToken } = await import('../src/api/tokens.js');
    const server = await startTestServer({ now: () => new Date('2026-11-26T09:00:00Z') });
    try {
      const school = await server.db.school.findFirstOrThrow();
      const conversation = await server.db.conversation.create({ data: { schoolId: school.id, channel: 'sms', address: '+31600000101' } });
      const open = (at: string) => server.db.$transaction((tx) => createTicket(tx, { schoolId: school.id, conversationId: conversation.id, kind: 'forward', language: 'tr', at: new Date(at) }));
      const answered = await open('2026-11-24T09:00:00Z');
      await server.db.ticket.update({ where: { id: answered.id }, data: { firstReplyAt: new Date('2026-11-24T11:30:00Z') } });
      await open('2026-11-23T09:00:00Z'); // due Wednesday 17:00, unanswered: overdue on Thursday
      const { token } = await createApiToken(server.db, 'demo-regenboog', 'administratie');
      const res = await fetch(`${server.url}/api/v1/schools/demo-regenboog/service-level?days=7`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ answered: 1, unanswered: 1, overdueNow: 1, medianFirstReplyMinutes: 150, replyWithinSchoolDays: 2 });
      const bad = await fetch(`${server.url}/api/v1/schools/demo-regenboog/service-level?days=0`, { headers: { authorization: `Bearer ${token}` } });
      expect(bad.status).toBe(400);
    } finally {
      await server.close();
    }
  }, 120_000); // starting the app trains the classifier
});
