import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inboundParams, messageSid, sign, TEST_BASE_URL } from './helpers/twilioSigning.js';
import { startTestServer } from './helpers/server.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.close());
beforeEach(async () => {
  await server.db.message.deleteMany();
  await server.db.ticket.deleteMany();
  await server.db.conversation.deleteMany();
});

const PATH = '/twilio/messages';
interface Case {
  label: string;
  params: () => Record<string, string>;
  signature: (params: Record<string, string>) => string | undefined;
  status: number;
  stored: { inbound: number; outbound: number; channel?: string; route?: string };
  reply?: RegExp;
}

const signed = (p: Record<string, string>) => sign(PATH, p);

const cases: Case[] = [
  { label: 'signed Dutch SMS question', params: () => inboundParams('Wat kost de ouderbijdrage?', '+31600000105'), signature: signed, status: 200, stored: { inbound: 1, outbound: 1, channel: 'sms', route: 'answer' }, reply: /vrijwillig/i },
  { label: 'signed Turkish SMS question', params: () => inboundParams('Veliler için Hollandaca kursu var mı?', '+31600000101'), signature: signed, status: 200, stored: { inbound: 1, outbound: 1, channel: 'sms', route: 'answer' }, reply: /Hollandaca/ },
  { label: 'signed Arabic WhatsApp question', params: () => inboundParams('هل توجد دروس اللغة الهولندية للآباء؟', 'whatsapp:+31600000102'), signature: signed, status: 200, stored: { inbound: 1, outbound: 1, channel: 'whatsapp', route: 'answer' }, reply: />\u200F[^<]*الهولندية/ },
  { label: 'unsigned request', params: () => inboundParams('hallo', '+31600000105'), signature: () => undefined, status: 403, stored: { inbound: 0, outbound: 0 } },
  { label: 'signed with another auth token', params: () => inboundParams('hallo', '+31600000105'), signature: (p) => sign(PATH, p, 'ffffffffffffffffffffffffffffffff'), status: 403, stored: { inbound: 0, outbound: 0 } },
  { label: 'signed for another host (forged Host header)', params: () => inboundParams('hallo', '+31600000105'), signature: (p) => sign(PATH, p, undefined, 'https://attacker.example'), status: 403, stored: { inbound: 0, outbound: 0 } },
  { label: 'body changed after signing', params: () => inboundParams('hallo', '+31600000105'), signature: (p) => sign(PATH, { ...p, Body: 'iets anders' }), status: 403, stored: { inbound: 0, outbound: 0 } },
  { label: 'signed but MessageSid missing', params: () => { const p = inboundParams('hallo', '+31600000105'); delete p.MessageSid; return p; }, signature: signed, status: 400, stored: { inbound: 0, outbound: 0 }, reply: /MessageSid/ },
  { label: 'signed but From is not a phone number', params: () => inboundParams('hallo', 'not-a-number'), signature: signed, status: 400, stored: { inbound: 0, outbound: 0 }, reply: /From/ },
  { label: 'signed but From and To on different channels', params: () => ({ ...inboundParams('hallo', 'whatsapp:+31600000105'), To: '+3197010000100' }), signature: signed, status: 400, stored: { inbound: 0, outbound: 0 }, reply: /From\/To/ },
];

describe.each(cases)('POST /twilio/messages: $label', ({ params, signature, status, stored, reply }) => {
  it(`answers ${status} and stores ${stored.inbound} inbound / ${stored.outbound} outbound`, async () => {
    const p = params();
    const sig = signature(p);
    const res = await server.post(PATH, p, sig ? { 'x-twilio-signature': sig, host: 'attacker.example' } : {});
    expect(res.status).toBe(status);
    const text = await res.text();
    if (reply) expect(text).toMatch(reply);
    const inbound = await server.db.message.findMany({ where: { direction: 'inbound' } });
    const outbound = await server.db.message.findMany({ where: { direction: 'outbound' } });
    expect(inbound).toHaveLength(stored.inbound);
    expect(outbound).toHaveLength(stored.outbound);
    if (stored.channel) expect(inbound[0]?.channel).toBe(stored.channel);
    if (stored.route) expect(inbound[0]?.route).toBe(stored.route);
    if (status === 200) {
      expect(res.headers.get('content-type')).toMatch(/text\/xml/);
      // Our own message id rides in the status-callback URL of the TwiML reply.
      expect(text).toContain(`action="${TEST_BASE_URL}/twilio/status?messageId=${outbound[0]!.id}"`);
    }
  });
});

describe('retried webhooks', () => {
  it('processes a MessageSid once and replays the stored reply', async () => {
    const p = inboundParams('Wat kost de ouderbijdrage?', '+31600000105');
    const first = await server.post(PATH, p, { 'x-twilio-signature': sign(PATH, p) });
    const second = await server.post(PATH, p, { 'x-twilio-signature': sign(PATH, p) });
    expect(second.status).toBe(200);
    expect(await second.text()).toBe(await first.text());
    expect(await server.db.message.count({ where: { direction: 'inbound' } })).toBe(1);
    expect(await server.db.message.count({ where: { direction: 'outbound' } })).toBe(1);
  });

  it('processes concurrent deliveries of the same MessageSid once', async () => {
    const p = inboundParams('ik wil een afspraak met de juf over mijn zoon', '+31600000105');
    const results = await Promise.all([1, 2, 3].map(() => server.post(PATH, p, { 'x-twilio-signature': sign(PATH, p) })));
    const bodies = await Promise.all(results.map((r) => r.text()));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(new Set(bodies).size).toBe(1);
    expect(await server.db.message.count({ where: { direction: 'inbound' } })).toBe(1);
    expect(await server.db.ticket.count()).toBe(1);
  });
});

describe('POST /twilio/status', () => {
  async function outboundMessage() {
    const p = inboundParams('Wat kost de ouderbijdrage?', '+31600000105');
    await server.post(PATH, p, { 'x-twilio-signature': sign(PATH, p) });
    return server.db.message.findFirstOrThrow({ where: { direction: 'outbound' } });
  }
  const callback = (messageId: string, status: string, sid: string, extra: Record<string, string> = {}) => {
    const path = `/twilio/status?messageId=${messageId}`;
    const params = { MessageSid: sid, MessageStatus: status, AccountSid: `AC${'a'.repeat(32)}`, ...extra };
    return server.post(path, params, { 'x-twilio-signature': sign(path, params) });
  };

  it('moves a message forward and never backwards (delivered stays delivered)', async () => {
    const m = await outboundMessage();
    const sid = messageSid();
    expect((await callback(m.id, 'delivered', sid)).status).toBe(204);
    expect((await callback(m.id, 'sent', sid)).status).toBe(204);
    expect((await callback(m.id, 'delivered', sid)).status).toBe(204);
    expect((await callback(m.id, 'undelivered', sid, { ErrorCode: '30003' })).status).toBe(204);
    const after = await server.db.message.findUniqueOrThrow({ where: { id: m.id } });
    expect(after.status).toBe('delivered');
    expect(after.providerId).toBe(sid);
    expect(after.deliveredAt).not.toBeNull();
  });

  it('records a failure with its reason', async () => {
    const m = await outboundMessage();
    await callback(m.id, 'undelivered', messageSid(), { ErrorCode: '30003' });
    const after = await server.db.message.findUniqueOrThrow({ where: { id: m.id } });
    expect(after.status).toBe('undelivered');
    expect(after.errorCode).toBe('30003');
    expect(after.statusReason).toMatch(/undelivered.*30003/);
  });

  it('refuses an unsigned callback and changes nothing', async () => {
    const m = await outboundMessage();
    const res = await server.post(`/twilio/status?messageId=${m.id}`, { MessageSid: messageSid(), MessageStatus: 'failed' });
    expect(res.status).toBe(403);
    expect((await server.db.message.findUniqueOrThrow({ where: { id: m.id } })).status).toBe('sent');
  });

  it('answers 400 to a signed callback without a status', async () => {
    const path = '/twilio/status';
    const params = { MessageSid: messageSid() };
    const res = await server.post(path, params, { 'x-twilio-signature': sign(path, params) });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/MessageStatus/);
  });
});

describe('without TWILIO_AUTH_TOKEN', () => {
  it('refuses all webhook traffic with 503 and a clear message', async () => {
    const bare = await startTestServer({ authToken: undefined });
    try {
      const p = inboundParams('hallo', '+31600000105');
      const res = await bare.post(PATH, p, { 'x-twilio-signature': sign(PATH, p) });
      expect(res.status).toBe(503);
      expect(await res.text()).toMatch(/TWILIO_AUTH_TOKEN/);
      expect(await bare.db.message.count()).toBe(0);
    } finally {
      await bare.close();
    }
  });
});

describe('GET /healthz', () => {
  it('is liveness only (the database is /readyz: test/operations.test.ts)', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });
});
