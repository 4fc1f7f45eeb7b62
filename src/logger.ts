import { pino, stdSerializers, type Logger } from 'pino';

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
      // A safety net under the callers' own care: any E.164 number that still reaches a log
      // line (an error message from a provider, a request path of the privacy API) is masked.
      hooks: { streamWrite: maskPhonesInText },
      serializers: { err: serializeError },
    },
    destination,
  );
}

/**
 * pino's error serializer, except that a Prisma client error is cut down to its type, code
 * and last line ("Unique constraint failed on the fields: (`slug`)", "Argument `direction` is
 * missing."): its full message renders the query's arguments, i.e. message bodies and names.
 */
export function serializeError(err: unknown) {
  const out = stdSerializers.err(err as Error);
  if (typeof out?.type === 'string' && out.type.startsWith('PrismaClient')) {
    const lines = String(out.message ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
    const code = (err as { code?: unknown }).code;
    out.message = `${typeof code === 'string' ? `${code}: ` : ''}${lines.at(-1) ?? ''}`;
    out.stack = [`${out.type}: ${out.message}`, ...String(out.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l))].join('\n');
    for (const key of Object.keys(out)) if (!['type', 'message', 'stack', 'code', 'clientVersion'].includes(key)) delete (out as Record<string, unknown>)[key];
  }
  return out;
}

const E164_IN_TEXT = /(\+|%2B)(\d{7,15})(?!\d)/gi;

/** Masks every E.164-looking number in a text ("+31612345678" and URL-encoded "%2B31612345678"). */
export function maskPhonesInText(text: string): string {
  return text.replace(E164_IN_TEXT, (_m, plus: string, digits: string) => plus + maskPhone(`+${digits}`).slice(1));
}

/** +31612345678 -> +316******78 (keeps country and network prefix for debugging). */
export function maskPhone(address: string | null | undefined): string {
  if (!address) return '';
  const prefix = address.startsWith('whatsapp:') ? 'whatsapp:' : '';
  const number = address.slice(prefix.length);
  if (number.length <= 6) return prefix + '*'.repeat(number.length);
  return prefix + number.slice(0, 4) + '*'.repeat(number.length - 6) + number.slice(-2);
}
