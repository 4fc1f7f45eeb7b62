import { z } from 'zod';
import { stripNul } from '../../http/nul.js';

/**
 * The fields of Twilio's messaging webhook that we use.
 * See https://www.twilio.com/docs/messaging/guides/webhook-request
 */
export const InboundWebhookSchema = z.object({
  MessageSid: z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/, 'must be a Twilio message SID (SM or MM + 32 hex)'),
  AccountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be a Twilio account SID'),
  From: z.string().min(1, 'is required'),
  To: z.string().min(1, 'is required'),
  // NUL characters are dropped (PostgreSQL text cannot hold them; src/http/nul.ts): the message is kept.
  Body: z.string().max(10_000, 'is longer than any SMS or WhatsApp message').default('').transform(stripNul),
  NumMedia: z.coerce.number().int().min(0).default(0),
});
export type InboundWebhook = z.infer<typeof InboundWebhookSchema>;

/** See https://www.twilio.com/docs/messaging/guides/track-outbound-message-status */
export const StatusCallbackSchema = z.object({
  MessageSid: z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/, 'must be a Twilio message SID (SM or MM + 32 hex)'),
  MessageStatus: z.string().min(1, 'is required'),
  ErrorCode: z.string().transform(stripNul).optional(),
});
export type StatusCallback = z.infer<typeof StatusCallbackSchema>;

/** Our own message id in the status-callback URL (?messageId=...). */
// Our message ids, or notice-<id> for a staff notice sent by SMS (no Message row; answered 204).
export const StatusQuerySchema = z.object({ messageId: z.string().regex(/^(notice-)?[a-z0-9]{20,40}$/).optional() });

export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'body'} ${i.message}`).join('; ');
}
