import type { AddressInfo } from 'node:net';
import express from 'express';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDay, localNow } from '../src/absence/dates.js';
import { ReplyComposer } from '../src/conversation/replies.js';
import { schoolDetails } from '../src/directory/schools.js';
import { ChatModelTranslator } from '../src/handoff/translate.js';
import { createLogger } from '../src/logger.js';
import { hashPassword } from '../src/staff/passwords.js';
import { staffRoutes } from '../src/staff/routes.js';
import { safeNext } from '../src/staff/session.js';
import { csrfOf, parentSms, StaffClient } from './helpers/browser.js';
import { startTestServer } from './helpers/server.js';

const AYSE = '+31600000101';
const MOHAMED = '+31600000102';
const KARIM = 'karim@regenboog.example.nl';
let server: Awaited<ReturnType<typeof startTestServer>>;
let emreTicket: string;
let otherTicket: string;

beforeAll(async () => {
  server = await startTestServer();
  await parentSms(server, AYSE, "Emre'nin matematik notları hakkında öğretmeniyle konuşmak istiyorum");
  emreTicket = (await server.db.ticket.findFirstOrThrow({ where: { student: { firstName: 'Emre' } } })).id;
  // Another school, with a ticket and a colleague who shares an e-mail address with the demo school.
  const other = await server.db.school.create({ data: { slug: 'andere-school', name: 'De Andere School', kind: 'primary' } });
  const conv = await server.db.conversation.create({ data: { schoolId: other.id, channel: 'sms', address: '+31600000999' } });
  otherTicket = (await server.db.ticket.create({ data: { schoolId: other.id, conversationId: conv.id, kind: 'forward', language: 'nl' } })).id;
  const shared = await hashPassword('gedeeld-wachtwoord');
  const demo = await server.db.school.findUniqueOrThrow({ where: { slug: 'demo-regenboog' } });
  for (const schoolId of [other.id, demo.id]) {
    await server.db.staff.create({ data: { schoolId, name: 'Invaller', role: 'parent_contact', email: 'invaller@example.nl', passwordHash: shared } });
  }
});
afterAll(async () => server.close());

async function signedIn(email: string) {
  const client = new StaffClient(server.url);
  const res = await client.login(email);
  expect(res.status, res.text).toBe(303);
  return client;
}

describe('signing in', () => {
  it('signs in with e-mail and password: an httpOnly, SameSite=Lax session cookie, not Secure on http', async () => {
    const client = new StaffClient(server.url);
    const res = await client.login(KARIM);
    expect(res.location).toBe('/staff');
    const cookie = client.lastSetCookies.find((c) => c.startsWith('ouderlijn_staff='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
    const session = await server.db.staffSession.findFirstOrThrow({ where: { staff: { email: KARIM } } });
    expect(session.tokenHash).not.toContain(client.cookies.get('ouderlijn_staff'));
    expect((await client.get('/staff')).text).toContain('Meester Karim');
  });

  it('refuses a wrong password and an unknown e-mail alike, and audits the failure', async () => {
    const client = new StaffClient(server.url);
    const wrong = await client.login('peter@regenboog.example.nl', 'fout');
    const unknown = await client.login('niemand@regenboog.example.nl', 'fout');
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.text).toContain('E-mailadres of wachtwoord klopt niet.');
    }
    expect(client.cookies.has('ouderlijn_staff')).toBe(false);
    expect(await server.db.auditEvent.count({ where: { action: 'login_failed', detail: 'wrong password' } })).toBeGreaterThan(0);
  });

  it('answers 429 after five failures for one address, even with the right password then', async () => {
    const client = new StaffClient(server.url);
    for (let i = 0; i < 5; i++) expect((await client.login('marieke@regenboog.example.nl', `fout-${i}`)).status).toBe(401);
    const blocked = await client.login('marieke@regenboog.example.nl');
    expect(blocked.status).toBe(429);
    expect(blocked.text).toContain('Te veel mislukte pogingen');
    expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('does not let inactive staff sign in', async () => {
    await server.db.staff.updateMany({ where: { email: 'anouk@regenboog.example.nl' }, data: { active: false } });
    expect((await new StaffClient(server.url).login('anouk@regenboog.example.nl')).status).toBe(401);
    await server.db.staff.updateMany({ where: { email: 'anouk@regenboog.example.nl' }, data: { active: true } });
  });

  it('asks for the school when one e-mail address signs in at two schools', async () => {
    const client = new StaffClient(server.url);
    const ask = await client.login('invaller@example.nl', 'gedeeld-wachtwoord');
    expect(ask.status).toBe(200);
    expect(ask.text).toContain('Schoolcode');
    const res = await client.login('invaller@example.nl', 'gedeeld-wachtwoord', 'andere-school');
    expect(res.status).toBe(303);
    expect((await client.get('/staff')).text).toContain('De Andere School');
  });

  it('sets the Secure flag when the public URL is https', async () => {
    const app = express().use(staffRoutes({ db: server.db, desk: server.desk, composer: new ReplyComposer(server.kb), log: createLogger('silent'), secureCookies: true, sessionHours: 1 }));
    const http = app.listen(0, '127.0.0.1');
    await new Promise((r) => http.once('listening', r));
    const client = new StaffClient(`http://127.0.0.1:${(http.address() as AddressInfo).port}`);
    await client.login(KARIM);
    expect(client.lastSetCookies.find((c) => c.startsWith('ouderlijn_staff='))).toMatch(/;\s*Secure/i);
    await new Promise((r) => http.close(r));
  });

  it('redirects signed-out pages to the login, refuses signed-out posts and bad CSRF tokens, and ends sessions on logout', async () => {
    const anon = new StaffClient(server.url);
    expect((await anon.get('/staff')).location).toBe('/staff/login');
    const linked = new StaffClient(server.url);
    const link = await linked.get(`/staff/tickets/${emreTicket}`);
    expect(link.location).toBe(`/staff/login?next=${encodeURIComponent(`/staff/tickets/${emreTicket}`)}`);
    const form = await linked.get(link.location!);
    const back = await linked.request('/staff/login', { form: { _csrf: csrfOf(form.text), email: KARIM, password: 'regenboog-demo', next: `/staff/tickets/${emreTicket}` } });
    expect(back.location).toBe(`/staff/tickets/${emreTicket}`);
    for (const evil of ['//evil.example', 'https://evil.example', '/staff/../x', '/staff/login']) expect(safeNext(evil)).toBe('/staff');
    expect((await anon.request(`/staff/tickets/${emreTicket}/claim`, { form: {} })).status).toBe(401);
    expect((await anon.request('/staff/login', { form: { email: KARIM, password: 'regenboog-demo' } })).status).toBe(403);
    const client = await signedIn(KARIM);
    expect((await client.request(`/staff/tickets/${emreTicket}/claim`, { form: {} })).status).toBe(403);
    expect((await client.request(`/staff/tickets/${emreTicket}/claim`, { form: { _csrf: 'x'.repeat(43) } })).status).toBe(403);
    const out = await client.post('/staff/logout', {});
    expect(out.location).toBe('/staff/login?out=1');
    expect((await client.get('/staff')).location).toBe('/staff/login');
    const karim = await server.db.staff.findFirstOrThrow({ where: { email: KARIM } });
    expect(await server.db.auditEvent.count({ where: { staffId: karim.id, action: 'logout' } })).toBe(1);
  });
});

describe('tickets', () => {
  it('shows only the own school: another school\'s ticket is 404 even for the parent-contact worker', async () => {
    const samira = await signedIn('samira@regenboog.example.nl');
    expect((await samira.get(`/staff/tickets/${otherTicket}`)).status).toBe(404);
    expect((await samira.get('/staff')).text).not.toContain(otherTicket);
    expect((await samira.get('/staff')).text).toContain(emreTicket);
  });

  it('lets a teacher see their own tickets but not a colleague\'s', async () => {
    const elif = await signedIn('elif@regenboog.example.nl');
    expect((await elif.get('/staff')).text).not.toContain(emreTicket);
    expect((await elif.get(`/staff/tickets/${emreTicket}`)).status).toBe(404);
    const karim = await signedIn(KARIM);
    const inbox = await karim.get('/staff');
    expect(inbox.text).toContain(emreTicket);
    expect(inbox.text).toMatch(/nog \d+ (u|d|min)|te laat/);
    expect(inbox.text).toContain('Mediane tijd tot het eerste antwoord');
    const first = await server.db.message.findFirstOrThrow({ where: { ticketId: emreTicket, direction: 'inbound' } });
    await server.db.message.create({ data: { ...first, id: undefined, providerId: 'SMxss', body: '<img src=x onerror=alert(1)>' } });
    const page = await karim.get(`/staff/tickets/${emreTicket}`);
    expect(page.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page.text).not.toContain('<img src=x');
  });

  it('previews the Turkish canned text and warns that free text goes untranslated; view and reply are audited', async () => {
    const karim = await signedIn(KARIM);
    const page = await karim.get(`/staff/tickets/${emreTicket}`);
    expect(page.text).toContain('Let op: deze ouder leest Turks; uw tekst gaat onvertaald');
    expect(page.text).toContain('Meester Karim belt u morgen.');
    expect(page.text).toMatch(/dir="auto" lang="tr">Emre&#39;nin matematik/);
    const preview = await karim.post(`/staff/tickets/${emreTicket}/preview`, { choice: 'willCall', text: '' }, csrfOf(page.text));
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('Mesajınızı aldık. Meester Karim yarın sizi arayacak.');
    expect(preview.text).toMatch(/1 sms-deel|\d sms-delen/);
    const free = await karim.post(`/staff/tickets/${emreTicket}/preview`, { choice: 'text', text: 'Ik bel u morgen.' }, csrfOf(page.text));
    expect(free.text).toMatch(/id="voorbeeld"[\s\S]*Let op: deze ouder leest Turks; uw tekst gaat onvertaald/);
    const sent = await karim.post(`/staff/tickets/${emreTicket}/reply`, { choice: 'willCall', text: '', translation: '' }, csrfOf(page.text));
    expect(sent.location).toBe(`/staff/tickets/${emreTicket}?done=sent`);
    const audit = await server.db.auditEvent.findMany({ where: { ticketId: emreTicket } });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['view_ticket', 'reply']));
    const out = await server.db.message.findFirstOrThrow({ where: { ticketId: emreTicket, kind: 'staff_reply' } });
    expect(out.body).toContain('yarın sizi arayacak');
    expect((await karim.get(`/staff/tickets/${emreTicket}`)).text).toContain('in de wachtrij');
  });

  it('shows a HandoffError with its status: an empty reply is 400, a closed ticket 409', async () => {
    const karim = await signedIn(KARIM);
    const csrf = csrfOf((await karim.get('/staff')).text);
    const empty = await karim.post(`/staff/tickets/${emreTicket}/preview`, { choice: 'text', text: '  ' }, csrf);
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Schrijf een antwoord of kies een standaardantwoord.');
    expect((await karim.post(`/staff/tickets/${emreTicket}/close`, {}, csrf)).location).toBe('/staff?done=closed');
    const again = await karim.post(`/staff/tickets/${emreTicket}/claim`, {}, csrf);
    expect(again.status).toBe(409);
    expect(again.text).toContain('al afgesloten');
  });
});

describe('with a translator', () => {
  it('previews the translation and the Dutch text, and sends exactly the translation shown', async () => {
    const translator = new ChatModelTranslator(new FakeListChatModel({ responses: ['Yarın sizi arayacağım.'] }));
    const t = await startTestServer({ translator });
    try {
      await parentSms(t, AYSE, "Emre'nin matematik notları hakkında öğretmeniyle konuşmak istiyorum");
      const ticket = await t.db.ticket.findFirstOrThrow();
      const karim = new StaffClient(t.url);
      await karim.login(KARIM);
      const page = await karim.get(`/staff/tickets/${ticket.id}`);
      expect(page.text).not.toContain('uw tekst gaat onvertaald');
      const preview = await karim.post(`/staff/tickets/${ticket.id}/preview`, { choice: 'text', text: 'Ik bel u morgen.' }, csrfOf(page.text));
      expect(preview.text).toContain('Yarın sizi arayacağım.');
      expect(preview.text).toContain('Ik bel u morgen.');
      expect(preview.text).toContain('name="translation" value="Yarın sizi arayacağım."');
      await karim.post(`/staff/tickets/${ticket.id}/reply`, { choice: 'text', text: 'Ik bel u morgen.', translation: 'Yarın sizi arayacağım.' }, csrfOf(page.text));
      const out = await t.db.message.findFirstOrThrow({ where: { kind: 'staff_reply' } });
      expect(out.body).toContain('Yarın sizi arayacağım.');
      expect(out.sourceBody).toBe('Ik bel u morgen.');
    } finally {
      await t.close();
    }
  });
});

describe('absences and alerts', () => {
  it('lists today\'s absence reports and acknowledges one with the staff member\'s name', async () => {
    await parentSms(server, MOHAMED, 'ابني مريض اليوم ولن يأتي');
    const absence = await server.db.absence.findFirstOrThrow({ where: { student: { firstName: 'Sami' } } });
    const henk = await signedIn('henk@regenboog.example.nl');
    const page = await henk.get('/staff/absences');
    expect(page.text).toContain('Sami El Idrissi');
    const res = await henk.post(`/staff/absences/${absence.id}/acknowledge`, {}, csrfOf(page.text));
    expect(res.status).toBe(303);
    const after = await server.db.absence.findUniqueOrThrow({ where: { id: absence.id } });
    expect(after).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'Henk Jansen' });
    expect(await server.db.auditEvent.count({ where: { action: 'acknowledge_absence' } })).toBe(1);
    expect((await henk.get('/staff/absences')).text).toContain('Gezien door Henk Jansen');
  });

  it('previews the alert per guardian language with the SMS count, sends it, and shows the status', async () => {
    const henk = await signedIn('henk@regenboog.example.nl');
    const form = await henk.get('/staff/alerts');
    const zofia = await server.db.student.findFirstOrThrow({ where: { firstName: 'Zofia' } });
    const daan = await server.db.student.findFirstOrThrow({ where: { firstName: 'Daan' } });
    expect(form.text).toContain('Zofia Kowalska');
    const school = await server.db.school.findUniqueOrThrow({ where: { slug: 'demo-regenboog' } });
    const date = localNow(new Date(), school.timezone).date;
    const expected = new ReplyComposer(server.kb).text('alert.absent', 'pl', school, await schoolDetails(server.db, school), { child: 'Zofia', day: formatDay(date, 'pl') });
    const preview = await henk.post('/staff/alerts/preview', { date, student: [zofia.id, daan.id] }, csrfOf(form.text));
    expect(preview.status).toBe(200);
    expect(preview.text).toContain(expected.replaceAll("'", '&#39;').replaceAll('"', '&quot;'));
    expect(preview.text).toMatch(/Pools · \d sms-de(el|len)/);
    const sent = await henk.post('/staff/alerts/send', { date, student: [zofia.id, daan.id] }, csrfOf(preview.text));
    expect(sent.location).toBe(`/staff/alerts/status?date=${date}&sent=2`);
    const status = await henk.get(sent.location!);
    expect(status.text).toContain('Anna Kowalska');
    expect(status.text).toContain('in de wachtrij');
    expect(await server.db.message.count({ where: { kind: 'absence_alert' } })).toBe(2);
    expect(await server.db.auditEvent.count({ where: { action: 'send_alert' } })).toBe(1);
  });
});

describe('linking Microsoft Teams from the inbox', () => {
  it('shows a one-time code to send to the bot, refuses a second link without "opnieuw", and unlinks', async () => {
    const client = await signedIn(KARIM);
    const before = await client.get('/staff/teams');
    expect(before.text).toContain('nog niet gekoppeld');
    expect(before.text).toContain('nog niet ingesteld'); // this test app runs without Teams
    const issued = await client.post('/staff/teams/code', {});
    expect(issued.status).toBe(200);
    const code = /koppel (\d{6})/.exec(issued.text)?.[1];
    expect(code).toBeDefined();
    const karim = await server.db.staff.findFirstOrThrow({ where: { email: KARIM } });
    expect(karim.teamsLinkCode).toBe(code);

    // Once linked (as the bot would do), a plain second code is refused; relinking is explicit.
    await server.db.staff.update({ where: { id: karim.id }, data: { teamsUserId: 'aad-karim', teamsReference: '{}', teamsLinkCode: null } });
    const linked = await client.get('/staff/teams');
    expect(linked.text).toContain('is gekoppeld');
    expect((await client.post('/staff/teams/code', {})).status).toBe(409);
    expect((await client.post('/staff/teams/code', { relink: '1' })).text).toMatch(/koppel \d{6}/);
    const unlinked = await client.post('/staff/teams/unlink', {});
    expect(unlinked.text).toContain('Ontkoppeld');
    expect((await server.db.staff.findUniqueOrThrow({ where: { id: karim.id } })).teamsUserId).toBeNull();
  });
});
