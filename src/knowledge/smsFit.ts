import { SegmentedMessage } from 'sms-segments-calculator';

/** The first SMS of an answer, and every MORE part, fits this many segments. */
export const SMS_SEGMENT_BUDGET = 3;
/** Twilio's body limit for WhatsApp; answers are sent whole there. */
export const WHATSAPP_MAX_CHARS = 1600;

export function segmentCount(text: string): number {
  return new SegmentedMessage(text).segmentsCount;
}

export function encodingOf(text: string): string {
  return new SegmentedMessage(text).encodingName;
}

function fits(text: string): boolean {
  return segmentCount(text) <= SMS_SEGMENT_BUDGET;
}

/**
 * Sentences, keeping their punctuation and the space after it. A sentence ends at . ! ?
 * followed by white space, so the dots inside links (scholenopdekaart.nl) never split.
 */
function pieces(text: string): string[] {
  return text.split(/(?<=[.!?؟。:])(?=\s)|(?<=\n)/u).filter((p) => p.length > 0);
}

/**
 * Packs text into parts that each fit the SMS budget once `reserve` (the "send MORE" hint)
 * is appended. Breaks between sentences, or between words inside an over-long sentence.
 */
export function packIntoParts(text: string, reserve: string): string[] {
  const parts: string[] = [];
  let current = '';
  const push = () => {
    if (current.trim()) parts.push(current.trim());
    current = '';
  };
  for (const sentence of pieces(text)) {
    if (fits(current + sentence + reserve)) {
      current += sentence;
      continue;
    }
    push();
    if (fits(sentence + reserve)) {
      current = sentence;
      continue;
    }
    for (const word of sentence.split(/(\s+)/)) {
      if (!fits(current + word + reserve)) push();
      current += word;
    }
  }
  push();
  return parts;
}
