import twilio from 'twilio';
import { SendError, type OutgoingMessage, type Sender } from '../../outbox/sender.js';
import { toTwilioAddress } from './address.js';
import { isRetryableHttpStatus } from './errorCodes.js';
import { statusCallbackUrl } from './routes.js';

const TWILIO_API = 'https://api.twilio.com';

/**
 * A RequestClient that sends the SDK's requests to another base URL. Used to point the
 * real twilio SDK at a Prism mock of Twilio's OpenAPI contract in tests and local runs.
 */
class RebasedRequestClient extends twilio.RequestClient {
  constructor(private readonly baseUrl: string) {
    super();
  }
  override request<T>(opts: Parameters<twilio.RequestClient['request']>[0] & { data?: T }) {
    return super.request<T>({ ...opts, uri: opts.uri.replace(TWILIO_API, this.baseUrl) });
  }
}

export interface TwilioSendConfig {
  accountSid: string;
  authToken: string;
  publicBaseUrl: string;
  /** Only for tests and local mocks. */
  apiBaseUrl?: string;
}

/** send() for SMS and WhatsApp through Twilio's Messages API. */
export function createTwilioSender(config: TwilioSendConfig): Sender {
  const client = twilio(config.accountSid, config.authToken, {
    ...(config.apiBaseUrl ? { httpClient: new RebasedRequestClient(config.apiBaseUrl.replace(/\/+$/, '')) } : {}),
  });
  return async (message: OutgoingMessage) => {
    try {
      if (message.inDoubtSince) {
        const found = await findAccepted(client, message, message.inDoubtSince);
        if (found) return { providerId: found, found: true };
      }
      const created = await client.messages.create({
        to: toTwilioAddress(message.channel, message.to),
        from: toTwilioAddress(message.channel, message.from),
        // Outside WhatsApp's 24-hour window only an approved template may be sent.
        ...(message.template
          ? { contentSid: message.template.contentSid, contentVariables: JSON.stringify(message.template.variables) }
          : { body: message.body }),
        statusCallback: statusCallbackUrl(config.publicBaseUrl, message.id),
      });
      return { providerId: created.sid };
    } catch (err) {
      throw toSendError(err);
    }
  };
}

/** How far Twilio's clock (date_created, whole seconds) may be behind ours. */
const CLOCK_SKEW_MS = 60_000;
/** Twilio lists newest first; a dead worker's message is among the last few to that number. */
const LOOKUP_LIMIT = 20;

/**
 * The sid of this message if Twilio already accepted it: same sender, recipient and text,
 * created since the attempt began, and not failed (a failed one never left Twilio, so it is
 * sent again). The Messages API has no idempotency key, so this is how a message whose
 * sender died after Twilio accepted it (SIGKILL, lost answer) avoids reaching a parent twice.
 * A template message's text is only known to Twilio, so it cannot be matched and goes again.
 */
async function findAccepted(client: twilio.Twilio, message: OutgoingMessage, since: Date): Promise<string | null> {
  if (message.template) return null;
  // One page only (page(), not list(), which would follow next_page_uri through the history).
  const page = await client.messages.page({
    to: toTwilioAddress(message.channel, message.to),
    from: toTwilioAddress(message.channel, message.from),
    pageSize: LOOKUP_LIMIT,
  });
  const match = page.instances.find((m) => m.body === message.body
    && m.dateCreated instanceof Date && m.dateCreated.getTime() >= since.getTime() - CLOCK_SKEW_MS
    && m.status !== 'failed' && m.status !== 'canceled');
  return match?.sid ?? null;
}

/** RestException carries Twilio's HTTP status and error code; anything else is a network error. */
export function toSendError(err: unknown): SendError {
  const e = err as { status?: unknown; code?: unknown; message?: unknown };
  if (typeof e?.status === 'number') {
    const code = e.code === undefined || e.code === null ? null : String(e.code);
    return new SendError(String(e.message ?? 'Twilio error'), isRetryableHttpStatus(e.status), code, e.status);
  }
  return new SendError(`network error: ${String(e?.message ?? err)}`, true, null, null);
}
