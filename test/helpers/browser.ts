import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { inboundParams, sign } from './twilioSigning.js';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = () => existsSync(CHROMIUM);

/** Headless Debian Chromium, with everything that would phone home switched off. */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** The CSRF token of the first form on a page. */
export function csrfOf(page: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
  if (!token) throw new Error('no CSRF field on the page');
  return token;
}

/** A minimal HTTP client with a cookie jar, for the server-rendered staff inbox. */
export class StaffClient {
  readonly cookies = new Map<string, string>();
  lastSetCookies: string[] = [];

  constructor(readonly base: string) {}

  async request(path: string, init: { method?: string; form?: Record<string, string | string[]> } = {}) {
    const headers: Record<string, string> = {};
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(init.form)) for (const one of Array.isArray(v) ? v : [v]) params.append(k, one);
      body = params.toString();
    }
    const res = await fetch(this.base + path, { method: init.method ?? (init.form ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    this.lastSetCookies = res.headers.getSetCookie();
    for (const c of this.lastSetCookies) {
      const [pair] = c.split(';');
      const [name, ...value] = pair!.split('=');
      const v = value.join('=');
      if (!v || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), v);
    }
    return { status: res.status, location: res.headers.get('location'), text: await res.text(), headers: res.headers };
  }

  get(path: string) {
    return this.request(path);
  }

  /** Posts a form with the CSRF token of the page at `from` (or the given token). */
  async post(path: string, form: Record<string, string | string[]>, csrf?: string) {
    return this.request(path, { form: { _csrf: csrf ?? csrfOf((await this.get('/staff')).text), ...form } });
  }

  async login(email: string, password = 'regenboog-demo', school = '') {
    const form = await this.get('/staff/login');
    return this.request('/staff/login', { form: { _csrf: csrfOf(form.text), email, password, school } });
  }
}

/** Posts a signed inbound SMS to the app, as Twilio would; returns the TwiML text. */
export async function parentSms(server: { post: (p: string, params: Record<string, string>, h?: Record<string, string>) => Promise<Response> }, from: string, body: string) {
  const params = inboundParams(body, from);
  const res = await server.post('/twilio/messages', params, { 'x-twilio-signature': sign('/twilio/messages', params) });
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
  return res.text();
}
