import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Channel } from '../src/channels/types.js';
import { InboundHandler } from '../src/conversation/inbound.js';
import type { Db } from '../src/db/client.js';
import { seedDemoSchool, DEMO_NUMBERS } from '../src/demo/seed.js';
import { createLogger } from '../src/logger.js';
import { createTestDb } from './helpers/db.js';
import { sharedClassifier } from './helpers/runtime.js';
import { messageSid } from './helpers/twilioSigning.js';

const log = createLogger('silent');
let db: Db;
let cleanup: () => Promise<void>;
let handler: InboundHandler;

beforeAll(async () => {
  const { kb, classifier, absence } = await sharedClassifier();
  ({ db, cleanup } = await createTestDb());
  await seedDemoSchool(db, log);
  handler = new InboundHandler(db, classifier, kb, absence, log);
});
afterAll(async () => cleanup());
beforeEach(async () => {
  await db.message.deleteMany();
  await db.ticket.deleteMany();
  await db.conversation.deleteMany();
  await db.guardian.updateMany({ where: { phone: '+31600000105' }, data: { language: 'nl', languageSource: 'school' } });
});

const TURKISH_PARENT = '+31600000101';
const DUTCH_PARENT = '+31600000105';

async function text(body: string, from = DUTCH_PARENT, channel: Channel = 'sms') {
  const outcome = await handler.handle({ type: 'message', channel, provider: 'twilio', providerId: messageSid(), from, to: DEMO_NUMBERS[channel], body, receivedAt: new Date() });
  if (outcome.kind !== 'handled') throw new Error('not handled');
  return { reply: outcome.replies[0]?.body ?? null, classification: outcome.classification };
}

describe('language', () => {
  it('answers a guardian in their preferred language when the message is unclear', async () => {
    const { reply, classification } = await text('ok?', TURKISH_PARENT);
    expect(classification!.languageConfidence).toBeLessThan(0.5);
    expect(reply).toBeTruthy();
    const out = await db.message.findFirstOrThrow({ where: { direction: 'outbound' } });
    expect(out.language).toBe('tr');
  });

  it('answers a message clearly in another language in that language and learns it', async () => {
    const { reply } = await text('How much is the voluntary parent contribution?', DUTCH_PARENT);
    expect(reply).toMatch(/voluntary/i);
    const guardian = await db.guardian.findFirstOrThrow({ where: { phone: DUTCH_PARENT } });
    expect(guardian.language).toBe('en');
    expect(guardian.languageSource).toBe('learned');
  });

  it('shows a menu of languages in their own names and scripts, then switches on request', async () => {
    const menu = await text('taal', DUTCH_PARENT);
    expect(menu.classification?.route).toBe('language');
    for (const name of ['Nederlands', 'English', 'Türkçe', 'العربية', 'Polski', 'Українська', 'Français', 'Español']) expect(menu.reply).toContain(name);
    const switched = await text('العربية', DUTCH_PARENT);
    expect(switched.reply).toMatch(/^\u200F/);
    const guardian = await db.guardian.findFirstOrThrow({ where: { phone: DUTCH_PARENT } });
    expect(guardian).toMatchObject({ language: 'ar', languageSource: 'chosen' });
  });
});

describe('routes', () => {
  it.each([
    ['forward', 'waarom heeft mijn zoon strafwerk gekregen? ik wil de juf spreken', 'ack_forward', /niet zelf beantwoorden/i],
    ['urgent', 'mijn zoon is niet thuisgekomen na school en ik kan hem nergens vinden', 'ack_urgent', /112/],
  ])('%s: stores the message, opens a ticket and acknowledges honestly', async (route, body, kind, ack) => {
    const { reply, classification } = await text(body);
    expect(classification?.route).toBe(route);
    expect(reply).toMatch(ack);
    const inbound = await db.message.findFirstOrThrow({ where: { direction: 'inbound' } });
    expect(inbound).toMatchObject({ route, body });
    const ticket = await db.ticket.findFirstOrThrow({ where: { id: inbound.ticketId! } });
    expect(ticket).toMatchObject({ kind: route, status: 'open', language: 'nl' });
    expect(await db.message.findFirstOrThrow({ where: { direction: 'outbound' } })).toMatchObject({ kind, ticketId: ticket.id });
  });

  it('joins the open ticket instead of opening a second one', async () => {
    await text('ik wil de juf spreken over mijn dochter');
    await text('kan de juf mij vandaag terugbellen over mijn dochter?');
    expect(await db.ticket.count()).toBe(1);
    expect(await db.message.count({ where: { direction: 'inbound', ticketId: { not: null } } })).toBe(2);
  });

  it('fills answers with the school’s own details', async () => {
    const { reply } = await text('Hoeveel is de vrijwillige ouderbijdrage?');
    expect(reply).toContain('€ 45');
  });
});

describe('MORE', () => {
  it('sends the rest of the last answer part by part, then says there is no more', async () => {
    const first = await text('Is er een Nederlandse taalcursus voor ouders?', TURKISH_PARENT);
    expect(first.reply).toBeTruthy();
    const parts: string[] = [];
    for (let i = 0; i < 6; i++) {
      const { reply } = await text('DAHA', TURKISH_PARENT);
      parts.push(reply!);
    }
    const conversation = await db.conversation.findFirstOrThrow({ where: { address: TURKISH_PARENT } });
    expect(conversation.pendingMore).toBeNull();
    const last = parts.at(-1)!;
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.filter((p) => p === last).length).toBeGreaterThan(1); // "no more" repeats once exhausted
    expect(parts[0]).not.toBe(last);
  });
});

describe('opt-out and opt-in', () => {
  it('confirms STOP once, sends nothing non-essential, still routes urgent messages to a person, and resumes on START', async () => {
    const stop = await text('STOP');
    expect(stop.reply).toMatch(/START/);
    expect((await text('STOP')).reply).toBeNull(); // confirm once
    expect((await text('Hoeveel is de ouderbijdrage?')).reply).toBeNull();
    const urgent = await text('mijn dochter is vermist, ze is niet op school aangekomen');
    expect(urgent.reply).toBeNull();
    expect(await db.ticket.count({ where: { kind: 'urgent' } })).toBe(1);
    const conversation = await db.conversation.findFirstOrThrow({ where: { address: DUTCH_PARENT } });
    expect(conversation.optedOutAt).not.toBeNull();
    const start = await text('START');
    expect(start.reply).toMatch(/STOP/);
    expect((await text('Hoeveel is de ouderbijdrage?')).reply).toMatch(/vrijwillig/);
  });

  it('keeps opt-out per channel', async () => {
    await text('STOP', DUTCH_PARENT, 'sms');
    expect((await text('Hoeveel is de ouderbijdrage?', DUTCH_PARENT, 'whatsapp')).reply).toMatch(/vrijwillig/);
  });
});

describe('numbers', () => {
  it('answers an unknown parent number at the demo school without linking a guardian', async () => {
    const { reply } = await text('Hoeveel is de ouderbijdrage?', '+31600009999');
    expect(reply).toMatch(/vrijwillig/);
    expect((await db.conversation.findFirstOrThrow({ where: { address: '+31600009999' } })).guardianId).toBeNull();
  });

  it('refuses a school number nobody uses once a real school exists', async () => {
    const real = await db.school.create({ data: { slug: 'echt', name: 'Echte School', kind: 'primary' } });
    try {
      const outcome = await handler.handle({ type: 'message', channel: 'sms', provider: 'twilio', providerId: messageSid(), from: DUTCH_PARENT, to: '+3197099999999', body: 'hallo', receivedAt: new Date() });
      expect(outcome.kind).toBe('unknown_number');
      expect(await db.message.count()).toBe(0);
    } finally {
      await db.school.delete({ where: { id: real.id } });
    }
  });
});

describe('language learning needs a clear message', () => {
  it('does not switch an Arabic-speaking guardian to Dutch for a one-word "hallo"', async () => {
    await text('hallo', '+31600000102');
    const guardian = await db.guardian.findFirstOrThrow({ where: { phone: '+31600000102' } });
    expect(guardian.language).toBe('ar');
    const out = await db.message.findFirstOrThrow({ where: { direction: 'outbound' } });
    expect(out.language).toBe('ar');
  });
});

describe('acknowledgements with missing school details', () => {
  it('leaves out the cut-off phrase when the school has none, in every language', async () => {
    const school = await db.school.findFirstOrThrow();
    await db.school.update({ where: { id: school.id }, data: { absenceCutoff: null } });
    try {
      const { reply } = await text('Daan is ziek vandaag, hij blijft thuis');
      expect(reply).toMatch(/^Dank u\. Genoteerd/);
      expect(reply).not.toMatch(/08:15|vraag het de school/);
      const { kb } = await sharedClassifier();
      for (const lang of ['nl', 'en', 'tr', 'ar', 'pl', 'uk', 'fr', 'es'] as const) {
        const withCutoff = kb.locales.format('ack.absence', [lang], { schoolName: 'S', schoolPhone: 'P', cutoff: '08:15', hasCutoff: 'yes' }).text;
        const without = kb.locales.format('ack.absence', [lang], { schoolName: 'S', schoolPhone: 'P', cutoff: 'ZZCUT', hasCutoff: 'no' }).text;
        expect(withCutoff).toContain('08:15');
        expect(without).not.toContain('ZZCUT');
      }
    } finally {
      await db.school.update({ where: { id: school.id }, data: { absenceCutoff: '08:15' } });
    }
  });
});
