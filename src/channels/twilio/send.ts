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

/** RestException carries Twilio's HTTP status and error code; anything else is a network error. */
export function toSendError(err: unknown): SendError {
  const e = err as { status?: unknown; code?: unknown; message?: unknown };
  if (typeof e?.status === 'number') {
    const code = e.code === undefined || e.code === null ? null : String(e.code);
    return new SendError(String(e.message ?? 'Twilio error'), isRetryableHttpStatus(e.status), code, e.status);
  }
  return new SendError(`network error: ${String(e?.message ?? err)}`, true, null, null);
}
