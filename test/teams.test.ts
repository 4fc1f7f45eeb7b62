import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTeamsChannel, issueTeamsLinkCode, teamsAuthOptions, createTeamsAuth, TeamsLinkError, type TeamsChannel } from '../src/channels/teams/index.js';
import { ConfigError, loadConfig } from '../src/config/config.js';
import { InboundHandler } from '../src/conversation/inbound.js';
import { ReplyComposer } from '../src/conversation/replies.js';
import type { Db } from '../src/db/client.js';
import { seedDemoSchool } from '../src/demo/seed.js';
import { HandoffDesk } from '../src/handoff/desk.js';
import { Notifier } from '../src/handoff/notifier.js';
import { createApp } from '../src/http/app.js';
import { createLogger } from '../src/logger.js';
import { startConnectorStandIn } from './helpers/connectorStandIn.js';
import { createTestDb } from './helpers/db.js';
import { sharedClassifier } from './helpers/runtime.js';
import { inboundParams, sign, TEST_AUTH_TOKEN, TEST_BASE_URL } from './helpers/twilioSigning.js';

/*
 * The Bot Framework protocol, locally: activities shaped as Teams sends them are posted to
 * /api/messages on the real app, and the real CloudAdapter answers through a Bot Connector
 * stand-in (the activities' serviceUrl). No app id is configured for the flow, which is the
 * Emulator's mode: botbuilder skips the JWT check on incoming requests and sends no token
 * outgoing. Authentication with an app id is tested separately below (401 without a token).
 */

const logLines: string[] = [];
const log = createLogger('warn', { write: (line: string) => void logLines.push(line) });
let db: Db;
let cleanup: () => Promise<void>;
let desk: HandoffDesk;
let channel: TeamsChannel;
let connector: Awaited<ReturnType<typeof startConnectorStandIn>>;
let server: Server;
let url: string;
let kb: Awaited<ReturnType<typeof sharedClassifier>>['kb'];

const BOT = { id: '28:ouderlijn-bot', name: 'Ouderlijn' };
const ELIF = { id: '29:teams-elif', aadObjectId: '6d1c0b58-0000-4000-8000-00000000e11f', name: 'Elif (Teams)' };
const ANOUK = { id: '29:teams-anouk', aadObjectId: '6d1c0b58-0000-4000-8000-0000000a0a0c', name: 'Anouk (Teams)' };
const ARABIC_PARENT = '+31600000102'; // Sami El Idrissi, groep 7: Juf Elif's class
const QUESTION = 'لماذا عوقب ابني في المدرسة؟ أريد التحدث مع المعلمة';

let seq = 0;
function activity(user: typeof ELIF, extra: Record<string, unknown>) {
  return {
    type: 'message', id: `incoming-${++seq}`, timestamp: new Date().toISOString(), channelId: 'msteams', serviceUrl: connector.url,
    from: user, recipient: BOT, conversation: { id: `a:personal-${user.id}`, conversationType: 'personal', tenantId: 'tenant-1' },
    channelData: { tenant: { id: 'tenant-1' } }, locale: 'nl-NL', ...extra,
  };
}
function post(body: object, target = url, headers: Record<string, string> = {}) {
  return fetch(`${target}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}
/** Posts a message as the user and returns the bot's answer(s) the connector stand-in received. */
async function say(user: typeof ELIF, extra: Record<string, unknown>) {
  const before = connector.sent().length;
  const res = await post(activity(user, extra));
  expect(res.status).toBe(200);
  return connector.sent().slice(before).map((r) => r.body);
}
const texts = (answers: { text?: string }[]) => answers.map((a) => a.text ?? '').join('\n');
const elifStaff = () => db.staff.findFirstOrThrow({ where: { name: 'Juf Elif' } });

beforeAll(async () => {
  const shared = await sharedClassifier();
  const { classifier, absence } = shared;
  kb = shared.kb;
  ({ db, cleanup } = await createTestDb());
  await seedDemoSchool(db, log);
  desk = new HandoffDesk(db, new ReplyComposer(kb));
  connector = await startConnectorStandIn();
  channel = createTeamsChannel({ db, desk, log, publicBaseUrl: TEST_BASE_URL, config: { MICROSOFT_APP_ID: undefined, MICROSOFT_APP_PASSWORD: undefined, MICROSOFT_APP_TENANT_ID: undefined }, allowUnauthenticated: true });
  const inbound = new InboundHandler(db, classifier, kb, absence, log);
  const app = createApp({ config: { PUBLIC_BASE_URL: TEST_BASE_URL, TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN }, db, inbound, kb, log, desk, teams: channel.routes });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await connector?.close();
  await cleanup?.();
});

describe('linking a Teams account', () => {
  it('explains how to link to someone who is not linked', async () => {
    const answers = await say(ELIF, { text: 'hallo' });
    expect(texts(answers)).toMatch(/koppel 123456/);
    // A reply to the incoming message: POST /v3/conversations/:id/activities/:activityId.
    expect(connector.sent().at(-1)).toMatchObject({ conversationId: `a:personal-${ELIF.id}`, activityId: expect.stringMatching(/^incoming-\d+$/) });
  });

  it('refuses a wrong code and an expired code, then links with a good one', async () => {
    const elif = await elifStaff();
    const { code } = await issueTeamsLinkCode(db, elif.id);
    const wrong = code === '000000' ? '000001' : '000000';
    expect(texts(await say(ELIF, { text: `link ${wrong}` }))).toMatch(/code ken ik niet/);

    const expired = await issueTeamsLinkCode(db, elif.id, new Date(Date.now() - 20 * 60_000));
    expect(texts(await say(ELIF, { text: `koppel ${expired.code}` }))).toMatch(/verlopen/);
    expect((await elifStaff()).teamsUserId).toBeNull();

    const good = await issueTeamsLinkCode(db, elif.id);
    expect(good.code).toMatch(/^\d{6}$/);
    expect(good.expiresAt.getTime() - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(texts(await say(ELIF, { text: `<p>Koppel ${good.code}</p>` }))).toMatch(/Gelukt, Juf Elif/);

    const linked = await elifStaff();
    expect(linked).toMatchObject({ teamsUserId: ELIF.aadObjectId, teamsLinkCode: null, teamsLinkExpires: null });
    const reference = JSON.parse(linked.teamsReference!);
    expect(reference).toMatchObject({ serviceUrl: connector.url, channelId: 'msteams', conversation: { id: `a:personal-${ELIF.id}` }, user: { id: ELIF.id }, bot: { id: BOT.id } });
    expect(reference.activityId).toBeUndefined();
    expect(await db.auditEvent.count({ where: { staffId: elif.id, action: 'teams_link' } })).toBe(1);
    // The code is used up.
    expect(texts(await say(ANOUK, { text: `link ${good.code}` }))).toMatch(/code ken ik niet/);
  });

  it('never links a second Teams user to a linked account unless the person asks to relink', async () => {
    const elif = await elifStaff();
    await expect(issueTeamsLinkCode(db, elif.id)).rejects.toBeInstanceOf(TeamsLinkError);
    // A Teams user already linked to one account cannot take another one's code.
    const anouk = await db.staff.findFirstOrThrow({ where: { name: 'Juf Anouk' } });
    const { code } = await issueTeamsLinkCode(db, anouk.id);
    expect(texts(await say(ELIF, { text: `link ${code}` }))).toMatch(/al gekoppeld aan een ander Ouderlijn-account \(Juf Elif\)/);
    expect(texts(await say(ANOUK, { text: `link ${code}` }))).toMatch(/Gelukt, Juf Anouk/);
  });

  it('relinks deliberately: a relink code moves the account to another Teams user and forgets the old cards', async () => {
    const OLD = { id: '29:teams-marieke-old', aadObjectId: '6d1c0b58-0000-4000-8000-00000000aa01', name: 'Marieke (oud)' };
    const NEW = { id: '29:teams-marieke-new', aadObjectId: '6d1c0b58-0000-4000-8000-00000000aa02', name: 'Marieke (nieuw)' };
    const marieke = await db.staff.findFirstOrThrow({ where: { name: 'Marieke de Boer' } });
    expect(texts(await say(OLD, { text: `link ${(await issueTeamsLinkCode(db, marieke.id)).code}` }))).toMatch(/Gelukt/);
    await expect(issueTeamsLinkCode(db, marieke.id)).rejects.toThrow(/opnieuw koppelen/);
    const { code } = await issueTeamsLinkCode(db, marieke.id, new Date(), { relink: true });
    expect(texts(await say(NEW, { text: `link ${code}` }))).toMatch(/vorige koppeling is vervangen/);
    expect((await db.staff.findUniqueOrThrow({ where: { id: marieke.id } })).teamsUserId).toBe(NEW.aadObjectId);
    expect(await db.auditEvent.findFirst({ where: { staffId: marieke.id, detail: 'relinked to another Teams user' } })).not.toBeNull();
    expect(texts(await say(OLD, { text: 'hallo' }))).toMatch(/nog niet gekoppeld/);
  });

  it('refuses to start without an app id unless unauthenticated use is explicitly allowed', () => {
    expect(() => createTeamsChannel({ db, desk: new HandoffDesk(db, new ReplyComposer(kb)), log, publicBaseUrl: TEST_BASE_URL, config: { MICROSOFT_APP_ID: undefined, MICROSOFT_APP_PASSWORD: undefined, MICROSOFT_APP_TENANT_ID: undefined } }))
      .toThrow(/MICROSOFT_APP_ID is not set/);
  });

  it('welcomes a new personal chat with how to link, and refuses group chats', async () => {
    const installed = await say(ELIF, { type: 'conversationUpdate', text: undefined, membersAdded: [{ id: BOT.id }] });
    expect(texts(installed)).toMatch(/nog niet gekoppeld.*koppel 123456/s);
    const group = await say(ELIF, { text: 'link 123456', conversation: { id: '19:group-chat', conversationType: 'groupChat', tenantId: 'tenant-1' } });
    expect(texts(group)).toMatch(/alleen in een persoonlijke chat/);
  });

  it('stops guessing: five wrong codes, then a pause even for a right one', async () => {
    const GUESSER = { id: '29:teams-guesser', aadObjectId: '6d1c0b58-0000-4000-8000-0000000099aa', name: 'Guesser' };
    const henk = await db.staff.findFirstOrThrow({ where: { name: 'Henk Jansen' } });
    const { code } = await issueTeamsLinkCode(db, henk.id);
    const wrong = code === '999999' ? '999998' : '999999';
    for (let i = 0; i < 5; i++) expect(texts(await say(GUESSER, { text: `link ${wrong}` }))).toMatch(/code ken ik niet/);
    expect(texts(await say(GUESSER, { text: `link ${code}` }))).toMatch(/Te veel verkeerde codes/);
    expect((await db.staff.findUniqueOrThrow({ where: { id: henk.id } })).teamsUserId).toBeNull();
  });

  it('a linked person typing free text is told to use the card buttons, nothing reaches parents', async () => {
    expect(texts(await say(ELIF, { text: 'Ik bel haar morgen' }))).toMatch(/knoppen op de kaart/);
  });
});

describe('a parent question in Teams', () => {
  let ticketId: string;
  let cardActivityId: string;

  it('the parent texts the school; the notifier sends Juf Elif an Adaptive Card in Teams', async () => {
    const params = inboundParams(QUESTION, ARABIC_PARENT);
    const res = await fetch(`${url}/twilio/messages`, {
      method: 'POST', body: new URLSearchParams(params).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sign('/twilio/messages', params) },
    });
    expect(res.status).toBe(200);
    const elif = await elifStaff();
    const ticket = await db.ticket.findFirstOrThrow({ where: { status: 'open' } });
    expect(ticket).toMatchObject({ kind: 'forward', assigneeId: elif.id, language: 'ar' });
    ticketId = ticket.id;

    const before = connector.sent().length;
    await new Notifier(db, { teams: channel.transport }, log, { publicBaseUrl: TEST_BASE_URL }).runOnce();
    expect(await db.staffNotification.findFirstOrThrow({ where: { ticketId, channel: 'teams' } })).toMatchObject({ status: 'sent', staffId: elif.id });
    const [sent] = connector.sent().slice(before);
    // Proactive, in Elif's personal chat. (botbuilder sends it as a reply to the continuation
    // activity's fresh id; Teams ignores replyToId in personal chats.)
    expect(sent!.conversationId).toBe(`a:personal-${ELIF.id}`);
    const attachment = sent!.body.attachments[0];
    expect(attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const card = attachment.content;
    const json = JSON.stringify(card);
    expect(card.body[0].text).toMatch(/^Nieuwe vraag/);
    expect(json).toContain(QUESTION);
    expect(card.body[2]).toMatchObject({ type: 'Container', rtl: true, items: [{ type: 'TextBlock', text: QUESTION, wrap: true }] });
    expect(json).toContain('Sami El Idrissi (groep 7)');
    expect(json).toContain('Arabisch');
    expect(json).toMatch(/Antwoord uiterlijk.*\(nog \d/);
    const actions = card.actions.map((a: { type: string; title: string; data?: { action: string; ticketId: string } }) => [a.type, a.title, a.data?.action]);
    expect(actions).toEqual([
      ['Action.Submit', 'Antwoorden', 'reply'], ['Action.Submit', 'Oppakken', 'claim'], ['Action.Submit', 'Afsluiten', 'close'],
      ['Action.OpenUrl', 'Openen in de inbox', undefined],
    ]);
    expect(card.actions[0].data.ticketId).toBe(ticketId);
    expect(card.actions[3].url).toBe(`${TEST_BASE_URL}/staff/tickets/${ticketId}`);
    expect(json).toContain('"value":"willCall"');

    const stored = await db.teamsCard.findFirstOrThrow({ where: { ticketId, staffId: elif.id } });
    cardActivityId = stored.activityId;
    expect(cardActivityId).toMatch(/^activity-\d+$/);
  });

  it('someone who may not see the ticket gets a Dutch refusal and changes nothing', async () => {
    const answers = await say(ANOUK, { value: { action: 'close', ticketId } });
    expect(texts(answers)).toMatch(/bestaat niet, of u kunt hem niet inzien/);
    expect(await db.ticket.findUniqueOrThrow({ where: { id: ticketId } })).toMatchObject({ status: 'open' });
  });

  it('a canned reply from the card goes to the parent in Arabic, and the card shows it was answered', async () => {
    const updatesBefore = connector.updates().length;
    const answers = await say(ELIF, { value: { action: 'reply', ticketId, canned: 'willCall', text: '' }, replyToId: cardActivityId });
    expect(texts(answers)).toMatch(/Verstuurd naar de ouder \(Arabisch, sms\)/);
    const elif = await elifStaff();
    const reply = await db.message.findFirstOrThrow({ where: { kind: 'staff_reply', ticketId } });
    expect(reply).toMatchObject({ direction: 'outbound', status: 'queued', language: 'ar', staffVia: 'teams', staffId: elif.id, channel: 'sms', toAddress: ARABIC_PARENT });
    expect(reply.sourceBody).toMatch(/belt u morgen/);
    expect(await db.auditEvent.findFirst({ where: { action: 'reply', ticketId } })).toMatchObject({ staffId: elif.id, detail: expect.stringMatching(/^teams: /) });

    await channel.idle();
    const [update] = connector.updates().slice(updatesBefore);
    expect(update).toMatchObject({ conversationId: `a:personal-${ELIF.id}`, activityId: cardActivityId });
    expect(update!.body).toMatchObject({ type: 'message', id: cardActivityId });
    expect(JSON.stringify(update!.body.attachments[0].content)).toContain('Beantwoord · behandeld door Juf Elif');
  });

  it('free text to a parent who reads Arabic is shown for checking first, then sent on "Versturen"', async () => {
    const answers = await say(ELIF, { value: { action: 'reply', ticketId, text: 'Ik bel u morgen om 10 uur.' } });
    const confirm = answers[0].attachments[0].content;
    expect(JSON.stringify(confirm)).toContain('geen vertaling beschikbaar');
    expect(confirm.actions[0]).toMatchObject({ title: 'Versturen', data: { action: 'send', ticketId, text: 'Ik bel u morgen om 10 uur.' } });
    expect(await db.message.count({ where: { kind: 'staff_reply', ticketId } })).toBe(1);

    expect(texts(await say(ELIF, { value: confirm.actions[0].data }))).toMatch(/Verstuurd/);
    const replies = await db.message.findMany({ where: { kind: 'staff_reply', ticketId }, orderBy: { createdAt: 'asc' } });
    expect(replies).toHaveLength(2);
    expect(replies[1]!.body).toContain('Ik bel u morgen om 10 uur.');
    await channel.idle();
  });

  it('refuses a canned reply and free text at once, and an empty reply', async () => {
    expect(texts(await say(ELIF, { value: { action: 'reply', ticketId, canned: 'arranged', text: 'en ook dit' } }))).toMatch(/niet allebei/);
    expect(texts(await say(ELIF, { value: { action: 'reply', ticketId, canned: '', text: '' } }))).toMatch(/Kies een standaardantwoord/);
    expect(await db.message.count({ where: { kind: 'staff_reply', ticketId } })).toBe(2);
  });

  it('closing from the card closes the ticket, tells the parent and strips the buttons from the card', async () => {
    const updatesBefore = connector.updates().length;
    expect(texts(await say(ELIF, { value: { action: 'close', ticketId } }))).toMatch(/Afgesloten/);
    expect(await db.ticket.findUniqueOrThrow({ where: { id: ticketId } })).toMatchObject({ status: 'closed', closedById: (await elifStaff()).id });
    expect(await db.message.findFirst({ where: { kind: 'ticket_closed', ticketId } })).toMatchObject({ language: 'ar' });
    await channel.idle();
    const card = connector.updates().slice(updatesBefore)[0]!.body.attachments[0].content;
    expect(JSON.stringify(card)).toContain('Gesloten door Juf Elif');
    expect(card.actions.map((a: { type: string }) => a.type)).toEqual(['Action.OpenUrl']);
    // Pressing an old button again: told in Dutch.
    expect(texts(await say(ELIF, { value: { action: 'close', ticketId } }))).toMatch(/al afgesloten/);
  });

  it('a card that cannot be updated is logged, and the staff action still succeeds', async () => {
    const elif = await elifStaff();
    const conv = await db.conversation.findFirstOrThrow({ where: { address: ARABIC_PARENT } });
    const ticket = await db.ticket.create({ data: { schoolId: elif.schoolId, conversationId: conv.id, kind: 'forward', language: 'ar', assigneeId: elif.id, status: 'open' } });
    await db.teamsCard.create({ data: { ticketId: ticket.id, staffId: elif.id, activityId: 'activity-gone' } });
    connector.failNext(404);
    await desk.claim({ id: elif.id, schoolId: elif.schoolId, name: elif.name, role: elif.role }, ticket.id, 'inbox');
    await channel.idle();
    expect(connector.updates().at(-1)!.activityId).toBe('activity-gone');
    expect(logLines.some((l) => l.includes('Teams card update failed'))).toBe(true);
    expect(await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).toMatchObject({ heldAt: expect.any(Date) });
  });

  it('a notice the connector refuses stays queued for a retry', async () => {
    const elif = await elifStaff();
    const conv = await db.conversation.findFirstOrThrow({ where: { address: ARABIC_PARENT } });
    const ticket = await db.ticket.create({ data: { schoolId: elif.schoolId, conversationId: conv.id, kind: 'forward', language: 'ar', assigneeId: elif.id, status: 'open' } });
    const notice = await db.staffNotification.create({ data: { staffId: elif.id, ticketId: ticket.id, channel: 'teams', reason: 'reminder' } });
    // 403: e.g. the person blocked the bot in Teams.
    connector.failNext(403);
    await new Notifier(db, { teams: channel.transport }, log, { publicBaseUrl: TEST_BASE_URL }).runOnce();
    expect(await db.staffNotification.findUniqueOrThrow({ where: { id: notice.id } })).toMatchObject({ status: 'queued', attempts: 1, error: expect.stringMatching(/403/) });
    expect(await db.teamsCard.count({ where: { ticketId: ticket.id } })).toBe(0);
    // Failed proactive turns are not answered with the chat's "Er ging iets mis".
    expect(connector.sent().filter((r) => /Er ging iets mis/.test(r.body.text ?? ''))).toHaveLength(0);
  });
});

describe('authentication and configuration', () => {
  const APP_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

  it('with an app id and password, an activity without a valid Bot Framework token gets 401 (and nothing leaves this machine)', async () => {
    const secured = createTeamsChannel({
      db, desk: new HandoffDesk(db, new ReplyComposer(kb)), log, publicBaseUrl: TEST_BASE_URL,
      config: { MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'not-a-real-secret', MICROSOFT_APP_TYPE: 'MultiTenant', MICROSOFT_APP_TENANT_ID: undefined },
    });
    const app = express().use(secured.routes);
    const s = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => s.once('listening', resolve));
    const target = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
    // botbuilder reports refused requests with console.error; keep the test output clean.
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const before = connector.requests.length;
      const linkedBefore = await db.staff.count({ where: { teamsUserId: { not: null } } });
      expect((await post(activity(ELIF, { text: 'hallo' }), target)).status).toBe(401);
      expect((await post(activity(ELIF, { text: 'hallo' }), target, { authorization: 'Bearer not-a-jwt' })).status).toBe(401);
      expect(connector.requests.length).toBe(before);
      expect(await db.staff.count({ where: { teamsUserId: { not: null } } })).toBe(linkedBefore);
    } finally {
      quiet.mockRestore();
      await new Promise((resolve) => s.close(resolve));
    }
  });

  it('builds the Bot Framework settings from our config, managed identity without a password', () => {
    expect(teamsAuthOptions({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'secret-123', MICROSOFT_APP_TENANT_ID: undefined })).toEqual({
      MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'secret-123', MicrosoftAppType: 'MultiTenant', MicrosoftAppTenantId: '',
    });
    const msi = { MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: undefined, MICROSOFT_APP_TYPE: 'UserAssignedMSI' as const, MICROSOFT_APP_TENANT_ID: '72f988bf-86f1-41af-91ab-2d7cd011db47' };
    expect(teamsAuthOptions(msi)).toEqual({ MicrosoftAppId: APP_ID, MicrosoftAppType: 'UserAssignedMsi', MicrosoftAppTenantId: msi.MICROSOFT_APP_TENANT_ID });
    expect(() => createTeamsAuth(msi)).not.toThrow();
    expect(() => createTeamsAuth({ ...msi, MICROSOFT_APP_TYPE: 'SingleTenant', MICROSOFT_APP_PASSWORD: 'secret-123' })).not.toThrow();
  });

  it('refuses an app id without a password, and a password without an app id', () => {
    expect(() => loadConfig({ MICROSOFT_APP_ID: APP_ID })).toThrow(ConfigError);
    expect(() => loadConfig({ MICROSOFT_APP_ID: APP_ID })).toThrow(/MICROSOFT_APP_PASSWORD/);
    expect(() => loadConfig({ MICROSOFT_APP_PASSWORD: 'secret-123' })).toThrow(/MICROSOFT_APP_ID/);
    expect(loadConfig({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'secret-123' }).MICROSOFT_APP_TYPE).toBe('MultiTenant');
  });
});
