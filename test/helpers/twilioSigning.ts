import twilio from 'twilio';

export const TEST_AUTH_TOKEN = '0123456789abcdef0123456789abcdef';
export const TEST_ACCOUNT_SID = `AC${'a'.repeat(32)}`;
export const TEST_BASE_URL = 'https://ouderlijn.example.nl';

let counter = 0;
/** A fresh, valid-looking Twilio message SID. */
export function messageSid(): string {
  counter += 1;
  return `SM${counter.toString(16).padStart(32, '0')}`;
}

/** Form parameters of an inbound Twilio messaging webhook. */
export function inboundParams(body: string, from: string, to = '+3197010000100', sid = messageSid()): Record<string, string> {
  const wa = from.startsWith('whatsapp:');
  return { MessageSid: sid, AccountSid: TEST_ACCOUNT_SID, From: from, To: wa && !to.startsWith('whatsapp:') ? `whatsapp:${to}` : to, Body: body, NumMedia: '0' };
}

/** The X-Twilio-Signature Twilio would send for these parameters to this path. */
export function sign(path: string, params: Record<string, string>, token = TEST_AUTH_TOKEN, baseUrl = TEST_BASE_URL): string {
  return twilio.getExpectedTwilioSignature(token, baseUrl + path, params);
}
