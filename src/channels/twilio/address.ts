import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Channel } from '../types.js';

const WHATSAPP_PREFIX = 'whatsapp:';

/** "whatsapp:+31612345678" -> { channel: 'whatsapp', number: '+31612345678' }; null when not a valid E.164 number. */
export function parseTwilioAddress(address: string): { channel: Channel; number: string } | null {
  const channel: Channel = address.startsWith(WHATSAPP_PREFIX) ? 'whatsapp' : 'sms';
  const raw = channel === 'whatsapp' ? address.slice(WHATSAPP_PREFIX.length) : address;
  if (!raw.startsWith('+')) return null;
  const phone = parsePhoneNumberFromString(raw);
  return phone?.isPossible() ? { channel, number: phone.number } : null;
}

export function toTwilioAddress(channel: Channel, number: string): string {
  return channel === 'whatsapp' ? `${WHATSAPP_PREFIX}${number}` : number;
}
