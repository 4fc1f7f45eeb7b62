import express, { Router, type Request, type Response } from 'express';
import twilio from 'twilio';
import type { Logger } from '../../logger.js';
import type { InboundMessageEvent, StatusUpdateEvent } from '../types.js';
import { parseTwilioAddress } from './address.js';
import { describeIssues, InboundWebhookSchema, StatusCallbackSchema, StatusQuerySchema } from './schemas.js';
import { verifyTwilioSignature } from './signature.js';

/** What the shared wrapper returns for an inbound message: replies to send as TwiML. */
export type InboundReplies = { replies: { id: string; body: string }[] } | { unknownNumber: true };

export interface TwilioRouteDeps {
  publicBaseUrl: string;
  authToken: string | undefined;
  log: Logger;
  onMessage: (event: InboundMessageEvent) => Promise<InboundReplies>;
  onStatus: (event: StatusUpdateEvent) => Promise<unknown>;
}

export function statusCallbackUrl(publicBaseUrl: string, messageId: string): string {
  return `${publicBaseUrl}/twilio/status?messageId=${encodeURIComponent(messageId)}`;
}

/**
 * POST /twilio/messages (SMS and WhatsApp; "whatsapp:" in From tells them apart) and
 * POST /twilio/status. Verify the signature, parse, hand an event to the shared wrapper.
 */
export function twilioRoutes(deps: TwilioRouteDeps): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 });
  const verify = verifyTwilioSignature(deps.publicBaseUrl, deps.authToken, deps.log);

  router.post('/twilio/messages', form, verify, async (req: Request, res: Response) => {
    const parsed = InboundWebhookSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).type('text/plain').send(`Malformed Twilio webhook: ${describeIssues(parsed.error)}`);
      return;
    }
    const from = parseTwilioAddress(parsed.data.From);
    const to = parseTwilioAddress(parsed.data.To);
    if (!from || !to || from.channel !== to.channel) {
      const field = !from ? 'From' : !to ? 'To' : 'From/To';
      res.status(400).type('text/plain').send(`Malformed Twilio webhook: ${field} is not an E.164 number on one channel (sms or whatsapp:)`);
      return;
    }
    const outcome = await deps.onMessage({
      type: 'message', channel: from.channel, provider: 'twilio', providerId: parsed.data.MessageSid,
      from: from.number, to: to.number, body: parsed.data.Body, receivedAt: new Date(),
    });
    if ('unknownNumber' in outcome) {
      res.status(404).type('text/plain').send(`No school uses ${to.channel === 'whatsapp' ? 'WhatsApp sender' : 'number'} ${to.number} on Ouderlijn.`);
      return;
    }
    const twiml = new twilio.twiml.MessagingResponse();
    for (const reply of outcome.replies) {
      twiml.message({ action: statusCallbackUrl(deps.publicBaseUrl, reply.id), method: 'POST' }, reply.body);
    }
    res.type('text/xml').send(twiml.toString());
  });

  router.post('/twilio/status', form, verify, async (req: Request, res: Response) => {
    const parsed = StatusCallbackSchema.safeParse(req.body);
    const query = StatusQuerySchema.safeParse(req.query);
    if (!parsed.success || !query.success) {
      const reason = !parsed.success ? describeIssues(parsed.error) : 'messageId in the URL is not one of ours';
      res.status(400).type('text/plain').send(`Malformed Twilio status callback: ${reason}`);
      return;
    }
    await deps.onStatus({
      type: 'status', provider: 'twilio', providerId: parsed.data.MessageSid,
      messageId: query.data.messageId ?? null, status: parsed.data.MessageStatus, errorCode: parsed.data.ErrorCode ?? null,
    });
    res.status(204).end();
  });

  return router;
}
