import type { NextFunction, Request, Response } from 'express';
import twilio from 'twilio';
import type { Logger } from '../../logger.js';

/**
 * Verifies X-Twilio-Signature before anything else runs. The URL is our configured public
 * base URL plus the request path: never one rebuilt from Host or X-Forwarded-* headers,
 * which a forger controls. Without an auth token the routes refuse all traffic (503).
 */
export function verifyTwilioSignature(publicBaseUrl: string, authToken: string | undefined, log: Logger) {
  if (!authToken) {
    log.warn('TWILIO_AUTH_TOKEN is not set: the Twilio webhooks answer 503 until it is (unsigned traffic is never accepted)');
  }
  return (req: Request, res: Response, next: NextFunction) => {
    if (!authToken) {
      res.status(503).type('text/plain').send('Twilio webhooks are disabled: TWILIO_AUTH_TOKEN is not configured on this server.');
      return;
    }
    const signature = req.header('x-twilio-signature');
    const url = publicBaseUrl + req.originalUrl;
    const params = typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, string>) : {};
    if (!signature || !twilio.validateRequest(authToken, signature, url, params)) {
      log.warn({ path: req.path, signed: Boolean(signature) }, 'refused a Twilio webhook with a missing or wrong signature');
      res.status(403).type('text/plain').send('Forbidden: missing or invalid X-Twilio-Signature.');
      return;
    }
    next();
  };
}
