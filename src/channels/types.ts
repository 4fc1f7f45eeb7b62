/**
 * The narrow contract between a channel and the rest of Ouderlijn. A channel verifies and
 * parses provider requests into these events; one shared wrapper (conversation/inbound.ts,
 * outbox/statusUpdates.ts) persists them. No domain logic lives in a channel.
 */
export const CHANNELS = ['sms', 'whatsapp'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface InboundMessageEvent {
  type: 'message';
  channel: Channel;
  provider: 'twilio';
  providerId: string;
  /** Parent's number, E.164 without any channel prefix. */
  from: string;
  /** Our number, E.164 without any channel prefix. */
  to: string;
  body: string;
  receivedAt: Date;
}

export interface StatusUpdateEvent {
  type: 'status';
  provider: 'twilio';
  providerId: string;
  /** Our own message id, carried in the status-callback URL. */
  messageId: string | null;
  status: string;
  errorCode: string | null;
}
