import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured logs. Phone numbers are masked wherever we log them and message bodies are
 * only logged at debug level (callers use `log.debug({ body })`), so info logs carry no
 * message content: parents write about their children's health.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'ouderlijn' },
      redact: {
        paths: ['req.headers.authorization', 'req.headers["x-twilio-signature"]', '*.authToken', '*.password'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/** +31612345678 -> +316******78 (keeps country and network prefix for debugging). */
export function maskPhone(address: string | null | undefined): string {
  if (!address) return '';
  const prefix = address.startsWith('whatsapp:') ? 'whatsapp:' : '';
  const number = address.slice(prefix.length);
  if (number.length <= 6) return prefix + '*'.repeat(number.length);
  return prefix + number.slice(0, 4) + '*'.repeat(number.length - 6) + number.slice(-2);
}
