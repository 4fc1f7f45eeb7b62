/**
 * The outbound message status state machine.
 *
 *   queued -> sending -> sent -> delivered -> read
 *      ^         |         \-> undelivered / failed (with a reason)
 *      \---------/ retryable error or stale claim: back to queued with a later attempt
 *
 * Status callbacks can arrive twice or out of order; a message only ever moves to a higher
 * rank, so "delivered" is never overwritten by a late "sent".
 */
export const OUTBOUND_STATUSES = ['queued', 'sending', 'sent', 'undelivered', 'failed', 'delivered', 'read'] as const;
export type OutboundStatus = (typeof OUTBOUND_STATUSES)[number];

const RANK: Record<OutboundStatus, number> = {
  queued: 0, sending: 1, sent: 2, undelivered: 3, failed: 3, delivered: 4, read: 5,
};

export function isOutboundStatus(s: string): s is OutboundStatus {
  return (OUTBOUND_STATUSES as readonly string[]).includes(s);
}

/** Statuses a message may move to `next` from, as reported by a provider callback. */
export function statusesBelow(next: OutboundStatus): OutboundStatus[] {
  return OUTBOUND_STATUSES.filter((s) => RANK[s] < RANK[next]);
}

/**
 * Twilio's message statuses mapped onto ours.
 * See https://www.twilio.com/docs/messaging/api/message-resource#message-status-values
 */
export function fromTwilioStatus(status: string): OutboundStatus | null {
  switch (status) {
    case 'accepted':
    case 'scheduled':
    case 'queued':
    case 'sending':
    case 'sent':
      return 'sent';
    case 'delivered':
      return 'delivered';
    case 'read':
      return 'read';
    case 'undelivered':
      return 'undelivered';
    case 'failed':
    case 'canceled':
      return 'failed';
    default:
      return null;
  }
}
