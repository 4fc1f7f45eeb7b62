import { FakeListChatModel } from '@langchain/core/utils/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InboundHandler } from '../src/conversation/inbound.js';
import { ReplyComposer } from '../src/conversation/replies.js';
import type { Db } from '../src/db/client.js';
import { DEMO_NUMBERS, seedDemoSchool } from '../src/demo/seed.js';
import { HandoffDesk, type Actor } from '../src/handoff/desk.js';
import { ChatModelTranslator } from '../src/handoff/translate.js';
import type { KnowledgeBase } from '../src/knowledge/load.js';
import { createLogger } from '../src/logger.js';
import { createTestDb } from './helpers/db.js';
import { sharedClassifier } from './helpers/runtime.js';
import { messageSid } from './helpers/twilioSigning.js';

/**
 * Forwarding to the right person (issue 5), end to end through the real inbound path and
 * the desk staff use. Clock: Monday 23 November 2026, 10:00 in Amsterdam.
 */
const log = createLogger('silent');
let db: Db;
let cleanup: () => Promise<void>;
let handler: InboundHandler;
let kb: KnowledgeBase;
let clock = new Date('2026-11-23T09:00:00Z');
let desk: HandoffDesk;

const TURKISH_PARENT = '+31600000101'; // Emre (groep 5b, Meester Karim) and Elif (groep 3a, Juf Anouk)
const DUTCH_PARENT = '+31600000105'; // Daan (groep 7, Juf Elif)

beforeAll(async () => {
  const shared = await sharedClassifier();
  kb = shared.kb;
  ({ db, cleanup } = await createTestDb());
  await seedDemoSchool(db, log);
  handler = new InboundHandler(db, shared.classifier, kb, shared.absence, log);
  desk = new HandoffDesk(db, new ReplyComposer(kb), null, () => clock);
});
afterAll(async () => cleanup());
beforeEach(async () => {
  clock = new Date('2026-11-23T09:00:00Z');
  await db.staffNotification.deleteMany();
  await db.auditEvent.deleteMany();
  await db.message.deleteMany();
  await db.ticket.deleteMany();
  await db.conversation.deleteMany();
});

async function send(body: string, from = TURKISH_PARENT, channel: 'sms' | 'whatsapp' = 'sms') {
  const outcome = await handler.handle({ type: 'message', channel, provider: 'twilio', providerId: messageSid(), from, to: DEMO_NUMBERS.sms, body, receivedAt: clock });
  if (outcome.kind !== 'handled') throw new Error('not handled');
  return { reply: outcome.replies[0]?.body ?? null, route: outcome.classification?.route ?? null };
}
async function actor(name: string): Promise<Actor> {
  const s = await db.staff.findFirstOrThrow({ where: { name } });
  return { id: s.id, schoolId: s.schoolId, name: s.name, role: s.role };
}
const onlyTicket = async () => {
  const tickets = await db.ticket.findMany({ include: { assignee: true, student: true } });
  expect(tickets).toHaveLength(1);
  return tickets[0]!;
};
const tr = (key: string) => kb.locales.format(key as never, ['tr'], { staffName: 'Meester Karim', schoolName: 'Basisschool De Regenboog', schoolPhone: '020 555 0100' }).text;

describe('a forwarded question reaches the right person', () => {
  it("goes to the child's class teacher, and the parent is told who answers and by when, in Turkish", async () => {
    const { reply, route } = await send("Emre'nin matematik notları hakkında öğretmeniyle konuşmak istiyorum");
    expect(route).toBe('forward');
    const ticket = await onlyTicket();
    expect(ticket).toMatchObject({ kind: 'forward', status: 'open', language: 'tr', assignedBecause: 'class_teacher' });
    expect(ticket.student?.firstName).toBe('Emre');
    expect(ticket.assignee?.name).toBe('Meester Karim');
    // Monday + 2 school days = Wednesday, end of the working day (17:00 CET = 16:00 UTC).
    expect(ticket.dueAt?.toISOString()).toBe('2026-11-25T16:00:00.000Z');
    expect(reply).toContain('Meester Karim');
    expect(reply).toContain('25 Kasım Çarşamba');
    expect(reply).not.toMatch(/[a-z]+ [a-z]+ of /); // no English leaking into the Turkish text
    // The assignee hears of it by e-mail (the demo staff have addresses; no Teams linked).
    const notices = await db.staffNotification.findMany({ include: { staff: true } });
    expect(notices.map((n) => [n.staff.name, n.channel, n.reason])).toEqual([['Meester Karim', 'email', 'assigned']]);
  });

  it('sends a question about one of two children that names neither to the parent-contact worker', async () => {
    await send('Çocuğumun karnesi hakkında konuşmak istiyorum');
    const ticket = await onlyTicket();
    expect(ticket.studentId).toBeNull();
    expect(ticket.assignee?.role).toBe('parent_contact');
  });

  it('sends support needs to the care coordinator and leave to attendance staff', async () => {
    await send('Mijn zoon heeft dyslexie, krijgt hij extra hulp op school?', DUTCH_PARENT);
    expect((await onlyTicket()).assignee?.role).toBe('care_coordinator');
    await db.ticket.deleteMany();
    await send('Kan ik verlof aanvragen voor mijn zoon voor een bruiloft in Marokko?', DUTCH_PARENT);
    const leave = await db.ticket.findFirstOrThrow({ where: { status: 'open' }, include: { assignee: true } });
    expect(leave.assignee?.role).toBe('attendance');
    expect(leave.topic).toBe('leave.request');
  });

  it('sends an urgent message to attendance staff and the director at once, by every channel they have', async () => {
    await db.staff.updateMany({ where: { role: 'director' }, data: { phone: '+31600009999' } });
    const { reply, route } = await send('Mijn dochter is niet thuisgekomen uit school en ik kan haar niet vinden', DUTCH_PARENT);
    expect(route).toBe('urgent');
    expect(reply).toMatch(/112/);
    const ticket = await onlyTicket();
    expect(ticket.kind).toBe('urgent');
    expect(ticket.assignee?.role).toBe('attendance');
    expect(ticket.dueAt!.getTime() - clock.getTime()).toBe(30 * 60_000);
    const notices = await db.staffNotification.findMany({ include: { staff: true }, orderBy: { channel: 'asc' } });
    expect(notices.map((n) => `${n.staff.role}:${n.channel}:${n.reason}`).sort()).toEqual(
      ['attendance:email:urgent', 'director:email:urgent', 'director:sms:urgent'],
    );
    await db.staff.updateMany({ where: { role: 'director' }, data: { phone: null } });
  });

  it('joins a second message to the open ticket and says so', async () => {
    await send("Emre'nin matematik notları hakkında öğretmeniyle konuşmak istiyorum");
    const { reply } = await send("Emre'nin öğretmeniyle bu hafta konuşabilir miyim?");
    const ticket = await onlyTicket();
    expect(await db.message.count({ where: { ticketId: ticket.id, direction: 'inbound' } })).toBe(2);
    expect(reply).toContain('Meester Karim');
    expect(reply).toBe(kb.locales.format('ack.joined', ['tr'], { staff: kb.locales.format('staff.who', ['tr'], { name: 'Meester Karim', role: 'teacher' }).text, deadline: '25 Kasım Çarşamba' }).text);
  });
});

describe('a person holds the conversation, then hands it back', () => {
  it('keeps the bot quiet while held, lets STOP through, and resumes after closing with a message to the parent', async () => {
    await send("Emre'nin matematik notları hakkında öğretmeniyle konuşmak istiyorum");
    const ticket = await onlyTicket();
    const karim = await actor('Meester Karim');
    await desk.claim(karim, ticket.id);

    // A general question while held: no automatic answer; it joins the ticket and the teacher hears.
    const quiet = await send('okul saat kaçta başlıyor?');
    expect(quiet.reply).toBeNull();
    expect(await db.message.count({ where: { ticketId: ticket.id, direction: 'inbound' } })).toBe(2);
    expect(await db.staffNotification.count({ where: { reason: 'parent_wrote' } })).toBe(1);

    // The teacher answers with a canned reply: it goes out in Turkish, signed.
    const sent = await desk.reply(karim, ticket.id, { canned: 'willCall' });
    const out = await db.message.findUniqueOrThrow({ where: { id: sent.messageId } });
    expect(out).toMatchObject({ direction: 'outbound', status: 'queued', channel: 'sms', toAddress: TURKISH_PARENT, kind: 'staff_reply', language: 'tr', staffId: karim.id, staffVia: 'inbox' });
    expect(out.body).toContain(tr('canned.willCall'));
    expect(out.body.startsWith('Meester Karim, Basisschool De Regenboog:')).toBe(true);
    expect(out.sourceBody).toBe(kb.locales.format('canned.willCall', ['nl'], { staffName: 'Meester Karim' }).text);
    expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).firstReplyAt).toEqual(clock);

    await desk.close(karim, ticket.id);
    const closing = await db.message.findFirstOrThrow({ where: { kind: 'ticket_closed' } });
    expect(closing.body).toBe(tr('ticket.closed'));
    expect(closing.language).toBe('tr');

    // The bot answers general questions again.
    const again = await send('okul saat kaçta başlıyor?');
    expect(again.route).toBe('answer');
    expect(again.reply).toBeTruthy();
    expect(await db.auditEvent.count({ where: { ticketId: ticket.id } })).toBe(3); // claim, reply, close
  });

  it('still confirms STOP and still handles an urgent message while held', async () => {
    await send("Emre'nin matematik notları hakkında öğretmeniyle konuşmak istiyorum");
    const ticket = await onlyTicket();
    await desk.claim(await actor('Meester Karim'), ticket.id);
    const urgent = await send('Emre okuldan eve gelmedi, onu bulamıyorum');
    expect(urgent.route).toBe('urgent');
    expect(urgent.reply).toMatch(/112/);
    expect(await db.ticket.count({ where: { kind: 'urgent' } })).toBe(1);
    const stop = await send('STOP');
    expect(stop.reply).toBeTruthy();
    await expect(desk.reply(await actor('Meester Karim'), ticket.id, { canned: 'willCall' })).rejects.toThrow(/STOP/);
  });
});

describe('who may see and do what', () => {
  it('hides a colleague\'s ticket from a teacher, shows it to the parent-contact worker, and lets only overseers reassign', async () => {
    await send("Emre'nin matematik notları hakkında öğretmeniyle konuşmak istiyorum");
    const ticket = await onlyTicket();
    const anouk = await actor('Juf Anouk');
    await expect(desk.view(anouk, ticket.id)).rejects.toMatchObject({ status: 404 });
    await expect(desk.reassign(anouk, ticket.id, anouk.id)).rejects.toMatchObject({ status: 404 });
    const samira = await actor('Samira Bouzid');
    const viewed = await desk.view(samira, ticket.id);
    expect(viewed.ticket.messages[0]?.body).toContain('Emre');
    expect(await db.auditEvent.count({ where: { action: 'view_ticket', staffId: samira.id } })).toBe(1);
    await desk.reassign(samira, ticket.id, anouk.id);
    expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).assigneeId).toBe(anouk.id);
    expect(await db.staffNotification.count({ where: { staffId: anouk.id, reason: 'reassigned' } })).toBe(1);
    const otherSchool = { ...samira, schoolId: 'another-school' };
    await expect(desk.view(otherSchool, ticket.id)).rejects.toMatchObject({ status: 404 });
  });

  it('falls back to SMS when the WhatsApp window has closed', async () => {
    await send("Emre'nin matematik notları hakkında öğretmeniyle konuşmak istiyorum", TURKISH_PARENT, 'whatsapp');
    const ticket = await onlyTicket();
    clock = new Date(clock.getTime() + 25 * 3_600_000);
    const sent = await desk.reply(await actor('Meester Karim'), ticket.id, { text: 'Tamam' });
    expect(sent.channel).toBe('sms');
    const out = await db.message.findUniqueOrThrow({ where: { id: sent.messageId } });
    expect(out.channel).toBe('sms');
  });
});

describe('free-text replies in the parent\'s language', () => {
  it('without a translator, sends as written and warns that the parent reads Turkish', async () => {
    await send("Emre'nin matematik notları hakkında öğretmeniyle konuşmak istiyorum");
    const preview = await desk.preview(await actor('Meester Karim'), (await onlyTicket()).id, { text: 'Ik bel u morgen.' });
    expect(preview).toMatchObject({ language: 'tr', untranslated: true, translation: null });
    expect(preview.body).toContain('Ik bel u morgen.');
  });

  it('with a translator plug-in, shows both texts and sends the translation staff saw', async () => {
    const translating = new HandoffDesk(db, new ReplyComposer(kb), new ChatModelTranslator(new FakeListChatModel({ responses: ['Sizi yarın arayacağım.'] })), () => clock);
    await send("Emre'nin matematik notları hakkında öğretmeniyle konuşmak istiyorum");
    const ticket = await onlyTicket();
    const karim = await actor('Meester Karim');
    const preview = await translating.preview(karim, ticket.id, { text: 'Ik bel u morgen.' });
    expect(preview).toMatchObject({ translation: 'Sizi yarın arayacağım.', source: 'Ik bel u morgen.', untranslated: false });
    const sent = await translating.reply(karim, ticket.id, { text: 'Ik bel u morgen.', translation: preview.translation! });
    const out = await db.message.findUniqueOrThrow({ where: { id: sent.messageId } });
    expect(out.body).toContain('Sizi yarın arayacağım.');
    expect(out.sourceBody).toBe('Ik bel u morgen.');
  });
});
