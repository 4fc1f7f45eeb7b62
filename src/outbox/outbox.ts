import type { Channel } from '../channels/types.js';
import type { Db } from '../db/client.js';
import type { Prisma } from '../generated/prisma/client.js';
import { segmentCount } from '../knowledge/smsFit.js';

export interface Enqueue {
  schoolId: string;
  conversationId: string;
  channel: Channel;
  from: string;
  to: string;
  body: string;
  language?: string;
  kind: string;
  essential?: boolean;
  ticketId?: string;
  replyToId?: string;
  /** WhatsApp template (Content SID) and its variables, outside the 24-hour window. */
  template?: { contentSid: string; variables: Record<string, string> };
}

/**
 * Puts a message in the durable outbox. Accepts a transaction client so the message is
 * queued atomically with whatever caused it: a crash loses both or neither.
 */
export function enqueue(db: Db | Prisma.TransactionClient, m: Enqueue) {
  return db.message.create({
    data: {
      schoolId: m.schoolId, conversationId: m.conversationId, direction: 'outbound', channel: m.channel,
      fromAddress: m.from, toAddress: m.to, body: m.body, language: m.language ?? null, kind: m.kind,
      essential: m.essential ?? false, status: 'queued', nextAttemptAt: new Date(),
      segments: segmentCount(m.body), ticketId: m.ticketId ?? null, replyToId: m.replyToId ?? null,
      contentSid: m.template?.contentSid ?? null, contentVariables: m.template ? JSON.stringify(m.template.variables) : null,
    },
  });
}
