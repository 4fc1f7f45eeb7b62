import type { StatusUpdateEvent } from '../channels/types.js';
import type { Db } from '../db/client.js';
import { fromTwilioStatus, statusesBelow } from './status.js';

export type StatusOutcome = 'updated' | 'ignored_not_forward' | 'unknown_message' | 'unknown_status';

/**
 * Applies a provider status callback. Finds the message by our own id (from the callback
 * URL) or else by the provider id, and only ever moves it forward: duplicates and
 * out-of-order callbacks change nothing.
 */
export async function applyStatusUpdate(db: Db, event: StatusUpdateEvent): Promise<StatusOutcome> {
  const next = fromTwilioStatus(event.status);
  if (!next) return 'unknown_status';
  const message = event.messageId
    ? await db.message.findFirst({ where: { id: event.messageId, direction: 'outbound' } })
    : await db.message.findFirst({ where: { providerId: event.providerId, direction: 'outbound' } });
  if (!message) return 'unknown_message';
  const now = new Date();
  const failed = next === 'failed' || next === 'undelivered';
  const { count } = await db.message.updateMany({
    where: { id: message.id, status: { in: statusesBelow(next) } },
    data: {
      status: next,
      providerId: message.providerId ?? event.providerId,
      ...(next === 'delivered' || next === 'read' ? { deliveredAt: message.deliveredAt ?? now } : {}),
      ...(failed ? { errorCode: event.errorCode, statusReason: `provider reported ${event.status}${event.errorCode ? ` (error ${event.errorCode})` : ''}` } : {}),
      ...(next === 'sent' && !message.sentAt ? { sentAt: now } : {}),
      claimedAt: null,
      claimedBy: null,
    },
  });
  return count === 1 ? 'updated' : 'ignored_not_forward';
}
