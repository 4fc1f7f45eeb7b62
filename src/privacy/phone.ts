import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * A phone number given to the privacy tools (CLI and school API), in E.164: "+31612345678".
 * Parsed with libphonenumber-js like the Twilio channel does (src/channels/twilio/address.ts),
 * so the result matches how guardians' and conversations' numbers are stored. Null when the
 * value is not a possible international number (no national "0612345678": which country?).
 */
export function parseE164(raw: string): string | null {
  const value = raw.trim();
  if (!value.startsWith('+')) return null;
  const phone = parsePhoneNumberFromString(value);
  return phone?.isPossible() ? phone.number : null;
}

export const E164_PROBLEM = 'must be a phone number in E.164, e.g. +31612345678';
