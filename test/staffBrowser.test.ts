import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReplyComposer } from '../src/conversation/replies.js';
import { schoolDetails } from '../src/directory/schools.js';
import { hasChromium, launchChromium, parentSms } from './helpers/browser.js';
import { startTestServer } from './helpers/server.js';

// Browser globals used inside page.evaluate() (the project compiles without the DOM lib).
declare const document: { documentElement: { scrollWidth: number; clientWidth: number }; activeElement: { matches(selector: string): boolean } | null };
declare function getComputedStyle(el: unknown): { direction: string; outlineStyle: string };

const AYSE = '+31600000101';
const MOHAMED = '+31600000102';
const chromium = hasChromium();
// In CI (.ci/run installs chromium) a missing browser is a failure, not a skip.
if (!chromium && process.env.CI) throw new Error('staffBrowser.test.ts: /usr/bin/chromium is missing; .ci/run should have installed it');
if (!chromium) console.warn('staffBrowser.test.ts: SKIPPED, /usr/bin/chromium is not installed (apt-get install chromium)');

describe.skipIf(!chromium)('staff inbox in a real browser', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signIn(email: string, viewport = { width: 1024, height: 800 }): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: 'nl-NL' });
    const page = await context.newPage();
    await page.goto(`${server.url}/staff`);
    expect(new URL(page.url()).pathname).toBe('/staff/login');
    await page.getByLabel('E-mailadres').fill(email);
    await page.getByLabel('Wachtwoord').fill('regenboog-demo');
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.waitForURL(`${server.url}/staff`);
    return page;
  }

  it('done when: a Turkish parent asks about Emre, his teacher answers with a canned reply, closes, and the bot answers again', async () => {
    await parentSms(server, AYSE, "Emre'nin matematik notları hakkında öğretmeniyle konuşmak istiyorum");
    const ticket = await server.db.ticket.findFirstOrThrow({ where: { student: { firstName: 'Emre' } }, include: { assignee: true, student: { include: { class: true } } } });
    expect(ticket.student?.class?.name).toBe('groep 5b');
    expect(ticket.assignee?.name).toBe('Meester Karim');

    const page = await signIn('karim@regenboog.example.nl');
    const card = page.locator('li.card', { hasText: 'Emre Yılmaz' });
    await expect(card.count()).resolves.toBe(1);
    expect(await card.textContent()).toContain('Turks');
    await card.getByRole('link').click();
    await page.waitForURL(`**/staff/tickets/${ticket.id}`);
    expect(await page.locator('.msg.inbound .text').first().getAttribute('lang')).toBe('tr');

    await page.getByLabel('Meester Karim belt u morgen.').check();
    await page.getByRole('button', { name: 'Voorbeeld bekijken' }).click();
    const preview = page.locator('#voorbeeld .sms');
    expect(await preview.textContent()).toContain('Mesajınızı aldık. Meester Karim yarın sizi arayacak.');
    await page.getByRole('button', { name: 'Versturen' }).click();
    await page.waitForURL(`**/staff/tickets/${ticket.id}?done=sent`);

    const school = await server.db.school.findUniqueOrThrow({ where: { slug: 'demo-regenboog' } });
    const details = await schoolDetails(server.db, school);
    const composer = new ReplyComposer(server.kb);
    const canned = composer.text('canned.willCall', 'tr', school, details, { staffName: 'Meester Karim' });
    expect(canned).toBe('Mesajınızı aldık. Meester Karim yarın sizi arayacak.');
    const out = await server.db.message.findFirstOrThrow({ where: { ticketId: ticket.id, kind: 'staff_reply' } });
    expect(out).toMatchObject({ toAddress: AYSE, direction: 'outbound', language: 'tr', status: 'queued' });
    expect(out.body).toBe(composer.text('staff.reply', 'tr', school, details, { staffName: 'Meester Karim', text: canned }));

    await page.getByRole('button', { name: 'Afsluiten' }).click();
    await page.waitForURL('**/staff?done=closed');
    expect(await page.locator('li.card', { hasText: 'Emre Yılmaz' }).count()).toBe(0);
    expect((await server.db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).status).toBe('closed');

    const twiml = await parentSms(server, AYSE, 'okul saat kaçta başlıyor?');
    expect(twiml).toMatch(/<Message[^>]*>[^<]{10,}<\/Message>/);
    const answer = await server.db.message.findFirstOrThrow({ where: { direction: 'outbound', kind: 'answer', toAddress: AYSE }, orderBy: { createdAt: 'desc' } });
    expect(answer.language).toBe('tr');
    await page.context().close();
  });

  it('fits a 375px screen, reaches the reply box and Send by keyboard, and shows Arabic right to left', async () => {
    await parentSms(server, MOHAMED, 'أريد التحدث مع المعلم عن سامي');
    const ticket = await server.db.ticket.findFirstOrThrow({ where: { student: { firstName: 'Sami' }, status: 'open' } });
    const page = await signIn('samira@regenboog.example.nl', { width: 375, height: 740 });
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await page.locator('li.card').count()).toBeGreaterThan(0);
    expect(await overflow()).toBeLessThanOrEqual(0);

    await page.goto(`${server.url}/staff/tickets/${ticket.id}`);
    expect(await overflow()).toBeLessThanOrEqual(0);
    const arabic = page.locator('.msg.inbound .text').first();
    expect(await arabic.getAttribute('lang')).toBe('ar');
    expect(await arabic.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    expect(await page.locator('.warn').first().textContent()).toContain('deze ouder leest Arabisch; uw tekst gaat onvertaald');

    const tabTo = async (selector: string) => {
      for (let i = 0; i < 80; i++) {
        await page.keyboard.press('Tab');
        if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return true;
      }
      return false;
    };
    expect(await tabTo('#reply-text')).toBe(true);
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).not.toBe('none');
    await page.keyboard.type('Ik bel u vanmiddag.');
    expect(await tabTo('#preview-reply')).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#voorbeeld');
    expect(await overflow()).toBeLessThanOrEqual(0);
    expect(await tabTo('#send')).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/staff/tickets/${ticket.id}?done=sent`);
    const out = await server.db.message.findFirstOrThrow({ where: { ticketId: ticket.id, kind: 'staff_reply' } });
    expect(out.body).toContain('Ik bel u vanmiddag.');
    expect(out.toAddress).toBe(MOHAMED);

    await page.getByLabel('Doorsturen naar').selectOption({ label: 'Peter van Dijk (directeur)' });
    await page.getByRole('button', { name: 'Doorsturen' }).click();
    await page.waitForURL(`**/staff/tickets/${ticket.id}?done=reassigned`);
    const moved = await server.db.ticket.findUniqueOrThrow({ where: { id: ticket.id }, include: { assignee: true } });
    expect(moved.assignee?.name).toBe('Peter van Dijk');
    expect(await server.db.auditEvent.count({ where: { ticketId: ticket.id, action: 'reassign' } })).toBe(1);
    await page.context().close();
  });
});
