import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InboundHandler } from '../src/conversation/inbound.js';
import type { Db } from '../src/db/client.js';
import { DEMO_NUMBERS, seedDemoSchool } from '../src/demo/seed.js';
import { createLogger } from '../src/logger.js';
import { createTestDb } from './helpers/db.js';
import { sharedClassifier } from './helpers/runtime.js';
import { messageSid } from './helpers/twilioSigning.js';

/**
 * Parents report absences in free text. The clock is pinned: Monday 23 November 2026,
 * 07:40 in Amsterdam, before the demo school's 08:15 cut-off, unless a test moves it.
 */
const log = createLogger('silent');
let db: Db;
let cleanup: () => Promise<void>;
let handler: InboundHandler;

const DUTCH_PARENT = '+31600000105'; // Daan
const TURKISH_PARENT = '+31600000101'; // Emre and Elif
const UNKNOWN = '+31612345678';
const MONDAY_0740 = new Date('2026-11-23T06:40:00Z');

beforeAll(async () => {
  const { kb, classifier, absence } = await sharedClassifier();
  ({ db, cleanup } = await createTestDb());
  await seedDemoSchool(db, log);
  handler = new InboundHandler(db, classifier, kb, absence, log);
});
afterAll(async () => cleanup());
beforeEach(async () => {
  await db.absence.deleteMany();
  await db.message.deleteMany();
  await db.ticket.deleteMany();
  await db.conversation.deleteMany();
});

async function text(body: string, from = DUTCH_PARENT, at = MONDAY_0740) {
  const outcome = await handler.handle({ type: 'message', channel: 'sms', provider: 'twilio', providerId: messageSid(), from, to: DEMO_NUMBERS.sms, body, receivedAt: at });
  if (outcome.kind !== 'handled') throw new Error('not handled');
  return outcome.replies[0]?.body ?? '';
}
const student = (firstName: string) => db.student.findFirstOrThrow({ where: { firstName } });

describe('a registered parent reports an absence', () => {
  it('records the only child, the day and the reason, and confirms in the parent\'s language', async () => {
    const reply = await text('Daan is ziek vandaag, hij blijft thuis');
    const [absence, ...rest] = await db.absence.findMany();
    expect(rest).toHaveLength(0);
    expect(absence).toMatchObject({
      studentId: (await student('Daan')).id, startDate: '2026-11-23', endDate: '2026-11-23', reason: 'sick', dayPart: 'whole',
      verified: true, status: 'reported', late: false, parentWords: 'Daan is ziek vandaag, hij blijft thuis',
    });
    expect(reply).toContain('Daan afwezig op maandag 23 november');
    expect(reply).toMatch(/ziek/);
    expect(reply).toMatch(/Klopt het niet\?/);
    expect(await db.ticket.count()).toBe(0);
  });

  it('asks which child when a parent of two does not say, and records the numbered answer', async () => {
    const question = await text('oğlum bugün hasta, okula gelemeyecek', TURKISH_PARENT);
    expect(question).toMatch(/1\. Elif\n2\. Emre\n3\. /);
    const pending = await db.absence.findFirstOrThrow();
    expect(pending).toMatchObject({ studentId: null, startDate: '2026-11-23', reason: 'sick' });

    const confirm = await text('2', TURKISH_PARENT, new Date(MONDAY_0740.getTime() + 60_000));
    expect(await db.absence.count()).toBe(1);
    expect(await db.absence.findFirstOrThrow()).toMatchObject({ id: pending.id, studentId: (await student('Emre')).id });
    expect(confirm).toContain('Emre');
    expect(confirm).toMatch(/23 Kasım/);
  });

  it('records both children when the parent answers with the last option', async () => {
    await text('yarın okula gelemeyecek, doktor randevusu var', TURKISH_PARENT);
    await text('3', TURKISH_PARENT, new Date(MONDAY_0740.getTime() + 60_000));
    const rows = await db.absence.findMany({ orderBy: { studentId: 'asc' } });
    expect(rows.map((r) => r.startDate)).toEqual(['2026-11-24', '2026-11-24']);
    expect(new Set(rows.map((r) => r.studentId))).toEqual(new Set([(await student('Emre')).id, (await student('Elif')).id]));
    expect(rows.every((r) => r.reason === 'medical')).toBe(true);
  });

  it('lets the parent correct the last report; the same record changes', async () => {
    await text('Daan is morgen ziek');
    const before = await db.absence.findFirstOrThrow();
    expect(before.startDate).toBe('2026-11-24');
    const reply = await text('nee sorry, niet dinsdag maar woensdag', DUTCH_PARENT, new Date(MONDAY_0740.getTime() + 5 * 60_000));
    const after = await db.absence.findMany();
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: before.id, startDate: '2026-11-25', endDate: '2026-11-25' });
    expect(after[0]!.correctedAt).not.toBeNull();
    expect(reply).toMatch(/^Aangepast: Daan afwezig op woensdag 25 november/);
  });

  it('says so when the report comes after the school\'s cut-off', async () => {
    const reply = await text('Daan is ziek', DUTCH_PARENT, new Date('2026-11-23T08:30:00Z')); // 09:30 in Amsterdam
    expect(await db.absence.findFirstOrThrow()).toMatchObject({ late: true, startDate: '2026-11-23' });
    expect(reply).toMatch(/na 08:15/);
  });

  it('records nothing for a weekend day and asks which school day was meant', async () => {
    const reply = await text('Daan is zaterdag ziek');
    expect(reply).toMatch(/zaterdag 28 november is geen schooldag/);
    expect(await db.absence.count()).toBe(0);
    await text('maandag', DUTCH_PARENT, new Date(MONDAY_0740.getTime() + 60_000));
    expect(await db.absence.findFirstOrThrow()).toMatchObject({ startDate: '2026-11-23', studentId: (await student('Daan')).id });
  });

  it('passes a report far ahead on to the school as a leave question instead of recording it', async () => {
    const reply = await text('Daan is 15 februari afwezig, hij moet naar de tandarts');
    expect(await db.absence.count()).toBe(0);
    expect(reply).toMatch(/verlof/);
    expect((await db.ticket.findFirstOrThrow()).kind).toBe('forward');
  });
});

describe('an unknown number reports an absence', () => {
  it('records it unverified, asks for name and class, and never confirms a child', async () => {
    const ask = await text('mijn zoon Daan is ziek vandaag', UNKNOWN);
    expect(ask).toMatch(/naam van het kind/);
    for (const name of ['Daan', 'de Vries', 'groep 7']) expect(ask).not.toContain(name);
    const row = await db.absence.findFirstOrThrow();
    expect(row).toMatchObject({ verified: false, source: 'unknown_number', studentId: null, guardianId: null });
    expect((await db.ticket.findFirstOrThrow()).kind).toBe('absence');

    const done = await text('Daan de Vries, groep 7', UNKNOWN, new Date(MONDAY_0740.getTime() + 60_000));
    expect(await db.absence.findFirstOrThrow()).toMatchObject({ id: row.id, reportedName: 'Daan de Vries, groep 7', studentId: null, verified: false });
    expect(done).toMatch(/doorgegeven aan de school/);
    expect(done).not.toMatch(/groep 7|de Vries/);
  });
});
