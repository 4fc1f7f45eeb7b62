import type { Channel } from '../channels/types.js';

export interface OutgoingMessage {
  id: string;
  channel: Channel;
  from: string;
  to: string;
  body: string;
  /** WhatsApp outside the 24-hour session: an approved template and its variables. */
  template?: { contentSid: string; variables: Record<string, string> };
  /**
   * An earlier attempt's worker died while handing this message over (claim recovered after
   * its lease), so the provider may have it since this moment. The channel then looks for it
   * first and returns the one it finds instead of sending it again.
   */
  inDoubtSince?: Date;
}

/** What a channel's send() returns: the provider's id for the message. */
export interface SendResult {
  providerId: string;
  /** True when the message was found at the provider (an in-doubt earlier attempt), not sent now. */
  found?: boolean;
}

/**
 * A send that did not go through. `retryable` says whether trying again later can help
 * (rate limits, provider outages, network errors) or not (unsubscribed, invalid number).
 */
export class SendError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly code: string | null,
    readonly httpStatus: number | null,
  ) {
    super(message);
    this.name = 'SendError';
  }
}

export type Sender = (message: OutgoingMessage) => Promise<SendResult>;
