import { createHash } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * Security headers (helmet's defaults) on every answer. The staff inbox under /staff sets
 * its own, stricter Content-Security-Policy (src/staff/routes.ts), so helmet leaves CSP out
 * there and keeps the other headers.
 */
export function securityHeaders(): RequestHandler {
  const everywhere = helmet();
  const staff = helmet({ contentSecurityPolicy: false });
  return (req, res, next) => (req.path === '/staff' || req.path.startsWith('/staff/') ? staff : everywhere)(req, res, next);
}

export interface RateLimits {
  /**
   * POST /twilio/messages per client IP; Twilio calls from many addresses, so this is generous.
   * Status callbacks (/twilio/status) get 5x: an alert fan-out of 80 WhatsApp messages a second
   * brings up to three callbacks each, and Twilio does not retry a refused callback.
   */
  twilioPerSecond: number;
  /** /api/v1 per API token (per IP without one); each IP also at most 5x this. */
  apiPerSecond: number;
  /** POST /api/messages (Teams) per client IP. */
  teamsPerSecond: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { twilioPerSecond: 50, apiPerSecond: 20, teamsPerSecond: 50 };

/** The client's address as this process sees it ('trust proxy' is off: the TCP peer). */
const clientIp = (req: Request) => req.socket.remoteAddress ?? 'unknown';

/** The API token's hash (never the token itself), or null without a bearer token. */
function tokenKey(req: Request): string | null {
  const token = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
  return token ? createHash('sha256').update(token).digest('hex').slice(0, 32) : null;
}

/**
 * An in-memory limiter (per instance) answering 429 with Retry-After. `keyOf` picks the
 * bucket; several limiters may run one after another.
 */
export function rateLimit(perSecond: number, keyOf: (req: Request) => string, what: string): RequestHandler {
  const limiter = new RateLimiterMemory({ points: perSecond, duration: 1 });
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      await limiter.consume(keyOf(req));
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) return next(err);
      res.set('Retry-After', String(Math.max(1, Math.ceil(err.msBeforeNext / 1000))))
        .status(429).type('text/plain').send(`Too many requests to ${what}; try again shortly.`);
      return;
    }
    next();
  };
}

/** The three public surfaces' limiters, to mount before their routes. */
export function publicRateLimits(limits: RateLimits) {
  return {
    twilioMessages: rateLimit(limits.twilioPerSecond, clientIp, 'the Twilio webhook'),
    twilioStatus: rateLimit(limits.twilioPerSecond * 5, clientIp, 'the Twilio status callback'),
    api: [
      rateLimit(limits.apiPerSecond * 5, clientIp, 'the school API from this address'),
      rateLimit(limits.apiPerSecond, (req) => { const t = tokenKey(req); return t ? `token:${t}` : `ip:${clientIp(req)}`; }, 'the school API'),
    ],
    teams: rateLimit(limits.teamsPerSecond, clientIp, '/api/messages'),
  };
}
